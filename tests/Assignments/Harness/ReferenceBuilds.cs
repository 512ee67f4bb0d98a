using System.Collections.Concurrent;
using System.Diagnostics;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// Each lab's reference solution in a tree copy, built once per test run and kept to its end. The
/// reference test grades it; each wrong solution's copy starts from its build (a wrong solution is
/// the reference with one bug, so its copy rebuilds the kernel, not also the user library and every
/// program, when the lab adds a syscall; see <see cref="TreeCopy.Make(string, TreeCopy?, string?[])"/>).
/// The tests of one class run one after another, so nobody builds in a lab's copy while another
/// copies from it.
/// </summary>
public static class ReferenceBuilds
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);
    private static readonly ConcurrentDictionary<string, Lazy<TreeCopy>> Copies = new();

    static ReferenceBuilds()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (Lazy<TreeCopy> copy in Copies.Values)
                if (copy.IsValueCreated) copy.Value.Dispose();
        };
    }

    /// <summary>The lab's reference copy (its start patch, if any, and solution.patch applied), built.</summary>
    public static TreeCopy Of(string assignment) =>
        Copies.GetOrAdd(assignment, name => new Lazy<TreeCopy>(() => Build(name))).Value;

    /// <summary>
    /// The lab's reference copy, or null if it cannot be made (its patch does not apply: the reference
    /// test says so): a wrong solution's copy then builds on the checkout's outputs.
    /// </summary>
    public static TreeCopy? BasisFor(string assignment)
    {
        try
        {
            return Of(assignment);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Copies and builds. A failed build is left as it is: the reference test's grader builds again
    /// and reports it, and a wrong solution's copy rebuilds what failed.
    /// </summary>
    private static TreeCopy Build(string assignment)
    {
        TreeCopy copy = TreeCopy.ForLab(assignment, $"assignments/{assignment}/solution.patch");
        var start = new ProcessStartInfo("make")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = copy.Root,
        };
        foreach (string argument in new[] { "-s", "kernel" }) start.ArgumentList.Add(argument);
        Grader.Run(start, Limit);
        return copy;
    }
}
