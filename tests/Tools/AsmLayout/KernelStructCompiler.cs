using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TeachOS.Tests.Tools.AsmLayout;

/// <summary>
/// Compiles kernel source files (or edited copies of them) for the host, with the boundary attributes
/// from runtime/, so the tests can run the layout reader on real IL and compare with the layout the
/// .NET runtime itself gives the same struct.
/// </summary>
internal static class KernelStructCompiler
{
    public static string RepositoryFile(string relativePath)
    {
        string? directory = AppContext.BaseDirectory;
        while (directory != null && !File.Exists(Path.Combine(directory, "kernel", "Layers.txt")))
            directory = Path.GetDirectoryName(directory);
        return Path.Combine(directory ?? throw new DirectoryNotFoundException("the repository root"), relativePath);
    }

    public static string Read(string relativePath) => File.ReadAllText(RepositoryFile(relativePath));

    /// <summary>The compiled image of the given sources plus runtime/TeachOS/BoundaryAttributes.cs.</summary>
    public static byte[] Compile(params string[] sources)
    {
        var trees = sources.Append(Read("runtime/TeachOS/BoundaryAttributes.cs"))
                           .Select(source => CSharpSyntaxTree.ParseText(source)).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator).Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Shared" + Guid.NewGuid().ToString("N"), trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return image.ToArray();
    }

    public static Assembly Load(byte[] image) => new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(new MemoryStream(image));
}
