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

    // The copies live in a folder named after this process. The test host may end without running
    // ProcessExit's handlers, so each run also deletes the folders of runs whose process is gone.
    private const string FolderPrefix = "teachos-references-";
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Environment.ProcessId);

    static ReferenceBuilds()
    {
        foreach (string folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(folder)[FolderPrefix.Length..], out int process) && !IsRunning(process))
            {
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        };
    }

    private static bool IsRunning(int process)
    {
        try
        {
            using Process running = Process.GetProcessById(process);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
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
        TreeCopy copy = TreeCopy.ForLab(assignment, $"assignments/{assignment}/solution.patch", parent: Folder);
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
