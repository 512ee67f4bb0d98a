using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TeachOS.Analyzers;
using Xunit;
using Xunit.Abstractions;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>
    /// TOS0008 on the real kernel (kernel/*.cs, abi/*.cs and the generated syscall table, with
    /// kernel/Layers.txt), compiled in memory as the kernel build compiles it. The kernel build enforces
    /// the rule (a violation is an error there); this test says the same of the real tree in the test
    /// run, and prints the namespace dependency graph, so that it is on record and changes show.
    ///
    /// Run `dotnet test tests/Analyzers --filter KernelLayers --logger "console;verbosity=detailed"`
    /// to read the graph (and, should one appear, each violation: file:line, from -> to).
    /// </summary>
    public class KernelLayersTests
    {
        /// <summary>
        /// No use goes upward, and no two namespaces use each other (not even two of one layer, like
        /// Proc and Loader). The edges are printed, not pinned: a new use of a lower layer is fine.
        /// </summary>
        private const int ExpectedViolations = 0;
        private const int ExpectedMutualPairs = 0;

        private readonly ITestOutputHelper _output;

        public KernelLayersTests(ITestOutputHelper output) => _output = output;

        private static readonly Lazy<Compilation> Kernel = new(() =>
        {
            var sources = Repository.SourcesUnder("kernel").Concat(Repository.SourcesUnder("abi"))
                .Select(path => (path, File.ReadAllText(path))).ToArray();
            GeneratorHarness.Result result = GeneratorHarness.Run("kernel", sources);
            Assert.Empty(result.CompilerDiagnostics);   // what the analyzer sees is what the kernel build compiles
            return result.Compilation;
        });

        [Fact]
        public void TheTableIsWellFormedForTheRealKernel()
        {
            ImmutableArray<Diagnostic> found = Analyze();
            Assert.Empty(found.Where(d => d.Descriptor == LayerAnalyzer.TableRule || d.Location.GetLineSpan().Path.EndsWith(LayerTable.FileName)));
        }

        [Fact]
        public void TheKernelsViolationsAreTheMeasuredOnes()
        {
            ImmutableArray<Diagnostic> found = Analyze().Where(d => d.Descriptor == LayerAnalyzer.Rule).ToImmutableArray();
            var report = new StringBuilder();
            var byEdge = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (Diagnostic diagnostic in found.OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
                         .ThenBy(d => d.Location.GetLineSpan().StartLinePosition.Line))
            {
                FileLinePositionSpan where = diagnostic.Location.GetLineSpan();
                string[] arguments = MessageArguments(diagnostic);
                string edge = arguments[0] + " (" + arguments[1] + ") -> " + arguments[3] + " (" + arguments[4] + ")";
                byEdge[edge] = byEdge.TryGetValue(edge, out int count) ? count + 1 : 1;
                report.AppendLine(Relative(where.Path) + ":" + (where.StartLinePosition.Line + 1) + ": " + edge + ": " + arguments[2]);
            }
            report.AppendLine();
            report.AppendLine("violations by edge:");
            foreach (var (edge, count) in byEdge) report.AppendLine("  " + count.ToString().PadLeft(4) + "  " + edge);
            report.AppendLine("violations: " + found.Length);
            _output.WriteLine(report.ToString());

            Assert.Equal(ExpectedViolations, found.Length);
        }

        [Fact]
        public void TheNamespaceGraphIsTheMeasuredOne()
        {
            Compilation kernel = Kernel.Value;
            var edges = new SortedDictionary<(string, string), int>();
            foreach (SyntaxTree tree in kernel.SyntaxTrees)
            {
                if (!tree.FilePath.Contains("/kernel/")) continue;   // the kernel's files, not abi/ or generated code
                SemanticModel model = kernel.GetSemanticModel(tree);
                foreach (SyntaxNode node in tree.GetRoot().DescendantNodes().Where(n => n is UsingDirectiveSyntax || n is SimpleNameSyntax))
                {
                    if (!LayerAnalyzer.TryGetUse(model, node, default, out LayerAnalyzer.Use use)) continue;
                    string from = TopLevel(use.From), to = TopLevel(use.To);
                    if (from == to || !IsKernelNamespace(kernel, to)) continue;
                    edges[(from, to)] = edges.TryGetValue((from, to), out int count) ? count + 1 : 1;
                }
            }
            var namespaces = edges.Keys.SelectMany(edge => new[] { edge.Item1, edge.Item2 }).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
            var mutual = edges.Keys.Where(edge => string.CompareOrdinal(edge.Item1, edge.Item2) < 0 && edges.ContainsKey((edge.Item2, edge.Item1))).ToList();

            var report = new StringBuilder();
            report.AppendLine("namespaces (" + namespaces.Count + "): " + string.Join(" ", namespaces));
            report.AppendLine("edges (" + edges.Count + "), with the number of uses:");
            foreach (var ((from, to), count) in edges) report.AppendLine("  " + from + " -> " + to + "  " + count);
            report.AppendLine("pairs that use each other (" + mutual.Count + "):");
            foreach (var (a, b) in mutual) report.AppendLine("  " + a + " <-> " + b);
            _output.WriteLine(report.ToString());

            Assert.Equal(ExpectedMutualPairs, mutual.Count);
        }

        /// <summary>Sched for Sched, Arch for Arch.X64, &lt;global&gt; for KernelMain.</summary>
        private static string TopLevel(string ns) => ns.Length == 0 ? LayerTable.GlobalNamespace : ns.Split('.')[0];

        /// <summary>A namespace the kernel itself declares types in (not System, not abi/'s Abi).</summary>
        private static bool IsKernelNamespace(Compilation kernel, string topLevel) =>
            topLevel == LayerTable.GlobalNamespace || KernelNamespaces.Value.Contains(topLevel);

        private static readonly Lazy<HashSet<string>> KernelNamespaces = new(() => Kernel.Value.SyntaxTrees
            .Where(tree => tree.FilePath.Contains("/kernel/"))
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>())
            .Select(declaration => TopLevel(declaration.Name.ToString()))
            .ToHashSet(StringComparer.Ordinal));

        private static ImmutableArray<Diagnostic> Analyze()
        {
            var table = new TableFile(Repository.PathOf("kernel/" + LayerTable.FileName));
            var options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(table), new GlobalOptionsProvider("kernel"));
            return Kernel.Value.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LayerAnalyzer()), options)
                .GetAnalyzerDiagnosticsAsync().Result;
        }

        /// <summary>The message's parts: from, its layer, what, to, its layer.</summary>
        private static string[] MessageArguments(Diagnostic diagnostic)
        {
            System.Text.RegularExpressions.Match match = System.Text.RegularExpressions.Regex.Match(diagnostic.GetMessage(),
                @"^Namespace (\S+) \(layer (\S+)\) may not use (.+) \(namespace (\S+), layer (\S+)\):");
            Assert.True(match.Success, diagnostic.GetMessage());
            return Enumerable.Range(1, 5).Select(group => match.Groups[group].Value).ToArray();
        }

        private static string Relative(string path) => Path.GetRelativePath(Repository.Root, path);

        /// <summary>A file on disk handed to the analyzer as an additional file.</summary>
        private sealed class TableFile : AdditionalText
        {
            public TableFile(string path) => Path = path;
            public override string Path { get; }
            public override SourceText GetText(CancellationToken cancellationToken = default) =>
                SourceText.From(File.ReadAllText(Path));
        }
    }
}
