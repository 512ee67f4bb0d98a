using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// The kernel's layer table (kernel/Layers.txt), read by TOS0008 and quoted by the guide. Two kinds
    /// of lines, and comments after '#':
    /// <code>
    /// layer Sched    threads, run queues, the switch          (the layers, bottom first)
    /// namespace Sched  Sched                                  (a namespace and the layer it sits in)
    /// </code>
    /// A layer may use itself and every layer declared before it. A namespace line covers the
    /// namespaces nested in it (Arch covers Arch.X64) unless a nested one has a line of its own;
    /// "&lt;global&gt;" is the global namespace (KernelMain).
    /// </summary>
    public sealed class LayerTable
    {
        /// <summary>The file name the analyzer looks for among the additional files.</summary>
        public const string FileName = "Layers.txt";

        /// <summary>How the table writes the global namespace.</summary>
        public const string GlobalNamespace = "<global>";

        /// <summary>One layer: its name, its position (0 = bottom) and what it is for.</summary>
        public sealed class Layer
        {
            public Layer(string name, int rank, string purpose) { Name = name; Rank = rank; Purpose = purpose; }
            public string Name { get; }
            public int Rank { get; }
            public string Purpose { get; }
        }

        /// <summary>A mistake in the table: what is wrong, and where (a line of the file).</summary>
        public sealed class Problem
        {
            public Problem(string message, TextSpan span, LinePositionSpan lines) { Message = message; Span = span; Lines = lines; }
            public string Message { get; }
            public TextSpan Span { get; }
            public LinePositionSpan Lines { get; }
        }

        private readonly Dictionary<string, Layer> _layers = new Dictionary<string, Layer>(StringComparer.Ordinal);
        private readonly Dictionary<string, Layer> _namespaces = new Dictionary<string, Layer>(StringComparer.Ordinal);

        public ImmutableArray<Layer> Layers { get; private set; }
        public ImmutableArray<Problem> Problems { get; private set; }

        /// <summary>Where the end of the file is: problems that belong to no line (a namespace missing) go there.</summary>
        public LinePositionSpan End { get; private set; }
        public TextSpan EndSpan { get; private set; }

        public static LayerTable Parse(SourceText text)
        {
            var table = new LayerTable();
            var layers = ImmutableArray.CreateBuilder<Layer>();
            var problems = ImmutableArray.CreateBuilder<Problem>();
            var namespaceLines = new List<(string Namespace, string Layer, TextLine Line)>();

            foreach (TextLine line in text.Lines)
            {
                string content = line.ToString();
                int comment = content.IndexOf('#');
                if (comment >= 0) content = content.Substring(0, comment);
                string[] words = content.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0) continue;

                if (words[0] == "layer" && words.Length >= 2)
                {
                    if (table._layers.ContainsKey(words[1]))
                    {
                        problems.Add(At(line, text, "the layer '" + words[1] + "' is declared twice"));
                        continue;
                    }
                    var layer = new Layer(words[1], layers.Count, string.Join(" ", words, 2, words.Length - 2));
                    table._layers.Add(layer.Name, layer);
                    layers.Add(layer);
                }
                else if (words[0] == "namespace" && words.Length == 3)
                {
                    namespaceLines.Add((words[1], words[2], line));
                }
                else
                {
                    problems.Add(At(line, text, "a line must read 'layer NAME purpose' or 'namespace NAMESPACE LAYER', not '" + content.Trim() + "'"));
                }
            }

            // Namespace lines may come before or after the layer they name, so they are resolved last.
            foreach ((string name, string layerName, TextLine line) in namespaceLines)
            {
                if (!table._layers.TryGetValue(layerName, out Layer layer))
                    problems.Add(At(line, text, "the namespace '" + name + "' is placed in the layer '" + layerName + "', which no 'layer' line declares"));
                else if (table._namespaces.TryGetValue(name, out Layer earlier))
                    problems.Add(At(line, text, "the namespace '" + name + "' is placed in two layers, '" + earlier.Name + "' and '" + layerName + "'"));
                else
                    table._namespaces.Add(name, layer);
            }

            table.Layers = layers.ToImmutable();
            table.Problems = problems.ToImmutable();
            table.EndSpan = new TextSpan(text.Length, 0);
            LinePosition end = text.Lines.GetLinePosition(text.Length);
            table.End = new LinePositionSpan(end, end);
            return table;
        }

        private static Problem At(TextLine line, SourceText text, string message)
        {
            // The line without its comment and surrounding blanks, so the squiggle sits under the words.
            string content = line.ToString();
            int comment = content.IndexOf('#');
            if (comment >= 0) content = content.Substring(0, comment);
            int start = content.Length - content.TrimStart().Length;
            var span = new TextSpan(line.Start + start, content.Trim().Length);
            return new Problem(message, span, text.Lines.GetLinePositionSpan(span));
        }

        /// <summary>
        /// The layer of a namespace ("Arch.X64", "" for the global one): the table's line for it, or for
        /// the nearest namespace it is nested in. Null if the table does not place it.
        /// </summary>
        public Layer LayerOf(string qualifiedNamespace)
        {
            string name = string.IsNullOrEmpty(qualifiedNamespace) ? GlobalNamespace : qualifiedNamespace;
            while (true)
            {
                if (_namespaces.TryGetValue(name, out Layer layer)) return layer;
                int dot = name.LastIndexOf('.');
                if (dot < 0) return null;
                name = name.Substring(0, dot);
            }
        }

        /// <summary>True if code in layer <paramref name="from"/> may use layer <paramref name="to"/>.</summary>
        public static bool MayUse(Layer from, Layer to) => to.Rank <= from.Rank;
    }
}
