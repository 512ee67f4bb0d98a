using System.Reflection;
using TeachOS.Tests.Integration.Harness;
using Xunit.Sdk;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// The known-wrong solutions of the test class's assignment, one theory case each: the paths of
/// assignments/NAME/wrong/*.patch, in the order of their names. NAME is the class's own (an
/// <see cref="AssignmentTests"/> made with no arguments), so a theory declared once in the abstract
/// base class lists each assignment's patches in that assignment's class, and a patch added to a
/// wrong/ folder is tested without touching the tests. (xunit's MemberData looks its member up on
/// the class that declares the theory, the abstract base, which does not know the name.)
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WrongSolutionsAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        Type testClass = testMethod.ReflectedType ?? throw new InvalidOperationException($"{testMethod.Name} has no class");
        var tests = (AssignmentTests)Activator.CreateInstance(testClass)!;
        return Of(tests.Name).Select(patch => new object[] { patch });
    }

    /// <summary>assignments/NAME/wrong/*.patch as paths in the checkout, sorted; none if there is no wrong/ folder.</summary>
    public static IEnumerable<string> Of(string assignment)
    {
        string folder = Repository.PathOf($"assignments/{assignment}/wrong");
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder, "*.patch")
            .Select(path => $"assignments/{assignment}/wrong/{Path.GetFileName(path)}")
            .Order(StringComparer.Ordinal);
    }

    /// <summary>The patch's first line without its "# ": what the wrong solution gets wrong.</summary>
    public static string DescriptionOf(string patch)
    {
        string first = File.ReadLines(Repository.PathOf(patch)).FirstOrDefault() ?? "";
        return first.StartsWith("# ", StringComparison.Ordinal) ? first[2..] : "(no description: the first line should be \"# \" and one line saying what is wrong)";
    }
}
