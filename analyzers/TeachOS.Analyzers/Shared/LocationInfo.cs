using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// Where something is in the source, without holding on to the syntax tree. A Location keeps its
    /// whole tree alive and is not comparable between runs, so incremental generator models store this
    /// and turn it back into a Location only to report a diagnostic.
    /// </summary>
    public sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo From(Location location)
        {
            if (location == null || location.SourceTree == null) return null;
            return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
        }

        /// <summary>A location by file name: what a generator can report (it has no syntax trees at hand).</summary>
        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        /// <summary>
        /// A location in the compilation's own syntax tree of that file, when there is one. Only such a
        /// location is "in source": `#pragma warning disable` and the IDE's squiggles need it.
        /// </summary>
        public Location ToLocation(Compilation compilation)
        {
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
                if (tree.FilePath == FilePath) return Location.Create(tree, Span);
            return ToLocation();
        }

        /// <summary>"Sched/Timer.cs:12": the file's last two path parts and the 1-based line, for messages.</summary>
        public string ShortDisplay() => ShortPath(FilePath) + ":" + (LineSpan.Start.Line + 1);

        public static string ShortPath(string path)
        {
            if (string.IsNullOrEmpty(path)) return "?";
            string[] parts = path.Replace('\\', '/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) return path;
            return parts.Length == 1 ? parts[0] : parts[parts.Length - 2] + "/" + parts[parts.Length - 1];
        }
    }
}
