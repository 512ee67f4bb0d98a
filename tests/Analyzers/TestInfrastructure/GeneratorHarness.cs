using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using TeachOS.Analyzers;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>
    /// Runs the syscall generator the way the compiler does (CSharpGeneratorDriver), with TeachOSRole
    /// set, and hands back what it generated, what it reported, and the compilation with the
    /// generated files in it.
    /// </summary>
    public static class GeneratorHarness
    {
        public sealed class Result
        {
            public Compilation Compilation { get; init; }
            public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; init; }
            public IReadOnlyDictionary<string, string> Generated { get; init; }

            /// <summary>The compilation's errors, and any warning in generated code.</summary>
            public ImmutableArray<Diagnostic> CompilerDiagnostics =>
                Compilation.GetDiagnostics()
                    .Where(d => d.Severity == DiagnosticSeverity.Error
                        || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true))
                    .ToImmutableArray();

            public string Source(string hintName) => Generated.TryGetValue(hintName, out string text)
                ? text : throw new KeyNotFoundException(hintName + " was not generated; got: " + string.Join(", ", Generated.Keys));

            /// <summary>The TOS0005 findings of the analyzer on the same compilation.</summary>
            public ImmutableArray<Diagnostic> DeclarationDiagnostics(string role) =>
                Compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new SyscallDeclarationAnalyzer()),
                        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new GlobalOptionsProvider(role)))
                    .GetAnalyzerDiagnosticsAsync().Result;
        }

        /// <summary>Against TeachOS.Runtime, as the bare-metal projects build.</summary>
        public static Result Run(string role, params (string path, string text)[] sources) =>
            Run(role, new[] { TeachOSRuntime.Reference }, sources);

        public static Result Run(string role, IEnumerable<MetadataReference> references, params (string path, string text)[] sources)
        {
            var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source.text, TeachOSRuntime.ParseOptions, source.path));
            var compilation = CSharpCompilation.Create("Generated", trees, references, TeachOSRuntime.CompilationOptions);
            GeneratorDriver driver = CSharpGeneratorDriver.Create(
                new[] { new SyscallGenerator().AsSourceGenerator() },
                parseOptions: TeachOSRuntime.ParseOptions,
                optionsProvider: new GlobalOptionsProvider(role));
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
            GeneratorRunResult run = driver.GetRunResult().Results.Single();
            if (run.Exception != null) throw new InvalidOperationException("The generator threw", run.Exception);
            return new Result
            {
                Compilation = output,
                GeneratorDiagnostics = diagnostics,
                Generated = run.GeneratedSources.ToDictionary(source => source.HintName, source => source.SourceText.ToString()),
            };
        }

        /// <summary>The .NET assemblies this test runs on: to compile generated code for running it here.</summary>
        public static IEnumerable<MetadataReference> HostFramework() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")).Split(Path.PathSeparator)
                .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) == "netstandard.dll")
                .Select(path => MetadataReference.CreateFromFile(path));

        /// <summary>The boundary attributes, as source, for compilations against .NET instead of TeachOS.Runtime.</summary>
        public static (string, string) BoundaryAttributesSource() =>
            ("BoundaryAttributes.cs", File.ReadAllText(Repository.PathOf("runtime/TeachOS/BoundaryAttributes.cs")));

        /// <summary>Emits a compilation and loads it into a context of its own, to call into it.</summary>
        public static Assembly Load(Compilation compilation)
        {
            using var image = new MemoryStream();
            EmitResult emitted = compilation.Emit(image);
            if (!emitted.Success)
                throw new InvalidOperationException("does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            image.Position = 0;
            return new AssemblyLoadContext("generated-" + Guid.NewGuid(), isCollectible: true).LoadFromStream(image);
        }

        /// <summary>Calls a public static method of a loaded assembly.</summary>
        public static object Call(Assembly assembly, string type, string method, params object[] arguments) =>
            assembly.GetType(type, throwOnError: true).GetMethod(method, BindingFlags.Public | BindingFlags.Static).Invoke(null, arguments);
    }

    /// <summary>Global options as MSBuild writes them: build_property.TeachOSRole.</summary>
    public sealed class GlobalOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global;

        public GlobalOptionsProvider(string role) =>
            _global = new Options(role == null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["build_property.TeachOSRole"] = role });

        public override AnalyzerConfigOptions GlobalOptions => _global;
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());
            private readonly Dictionary<string, string> _values;
            public Options(Dictionary<string, string> values) => _values = values;
            public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value);
        }
    }
}
