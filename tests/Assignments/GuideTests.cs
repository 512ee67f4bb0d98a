using System.Text.RegularExpressions;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Assignments;

/// <summary>The guide's pages that list what the code offers keep up with the code.</summary>
public partial class GuideTests
{
    /// <summary>Members the compiler or ilc call by pattern, which no one writes by name.</summary>
    private static readonly string[] Plumbing =
    [
        "GetEnumerator", "MoveNext", "GetPinnableReference",           // foreach and fixed
        "Memmove", "ClearWithoutReferences", "ClearWithReferences",    // SpanHelpers, for ilc's code
    ];

    /// <summary>
    /// docs/guide/runtime-library.md lists what the base library provides. Every public method of the
    /// files it describes must be on it, so a method added to runtime/ is added to the page too.
    /// </summary>
    [Fact]
    public void RuntimeLibraryPageNamesEveryPublicMethod()
    {
        string page = File.ReadAllText(Repository.PathOf("docs/guide/runtime-library.md"));
        string[] files = ["String.cs", "String.Operations.cs", "Number.cs", "Array.cs", "Span.cs", "ReadOnlySpan.cs",
                          "Memory.cs", "Primitives.cs", "ValueType.cs", "Object.cs"];
        string[] missing = files
            .SelectMany(file => PublicMethod().Matches(File.ReadAllText(Repository.PathOf($"runtime/System/{file}")))
                .Select(match => (file, name: match.Groups[1].Value)))
            .Where(method => !Plumbing.Contains(method.name) && !page.Contains(method.name, StringComparison.Ordinal))
            .Select(method => $"{method.name} (runtime/System/{method.file})")
            .Distinct()
            .ToArray();
        Assert.True(missing.Length == 0, "docs/guide/runtime-library.md does not name:\n" + string.Join('\n', missing));
    }

    [GeneratedRegex(@"public\s+(?:(?:static|override|virtual|unsafe|readonly|extern|ref|new)\s+)*[\w<>\[\]?.,]+\s+(\w+)\s*[(<]")]
    private static partial Regex PublicMethod();
}
