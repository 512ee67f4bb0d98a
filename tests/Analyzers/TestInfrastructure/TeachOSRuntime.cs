using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>
    /// The real base library (runtime/), compiled in memory once per test run and used as the only
    /// framework of every test compilation, exactly as the bare-metal projects use it (NoStdLib). The
    /// boundary attributes come from it too (runtime/TeachOS/BoundaryAttributes.cs).
    /// </summary>
    public static class TeachOSRuntime
    {
        public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

        public static readonly CSharpCompilationOptions CompilationOptions =
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Disable);

        private static readonly Lazy<MetadataReference> LazyReference = new(() => Compile("TeachOS.Runtime", Repository.SourcesUnder("runtime")));

        public static MetadataReference Reference => LazyReference.Value;

        /// <summary>Compiles sources from disk into an assembly; fails the test run if they do not compile.</summary>
        public static MetadataReference Compile(string assemblyName, IEnumerable<string> paths, params MetadataReference[] references)
        {
            var trees = paths.Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), ParseOptions, path));
            return Compile(CSharpCompilation.Create(assemblyName, trees, references, CompilationOptions));
        }

        /// <summary>Compiles source text against the runtime into an assembly (a stand-in Kernel, say).</summary>
        public static MetadataReference CompileText(string assemblyName, string source) =>
            Compile(CSharpCompilation.Create(assemblyName,
                new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, assemblyName + ".cs") },
                new[] { Reference }, CompilationOptions));

        private static MetadataReference Compile(CSharpCompilation compilation)
        {
            using var image = new MemoryStream();
            // With no mscorlib to copy it from, the metadata version must be given (as in BareMetal.props).
            EmitResult result = compilation.Emit(image, options: new EmitOptions(runtimeMetadataVersion: "v4.0.30319"));
            ImmutableArray<Diagnostic> errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
            if (!result.Success)
                throw new InvalidOperationException(compilation.AssemblyName + " does not compile:\n" + string.Join("\n", errors));
            return MetadataReference.CreateFromImage(image.ToArray());
        }
    }
}
