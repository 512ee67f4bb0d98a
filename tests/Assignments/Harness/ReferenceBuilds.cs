using System.Collections.Concurrent;
using System.Diagnostics;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// Each lab's reference solution in a tree copy, built once per test run and kept to its end. The
/// reference test grades it; each wrong solution's copy starts from its build (a wrong solution is
/// the reference with one bug, so its copy rebuilds the kernel, not also the user library and every
/// program, when the lab adds a syscall; see <see cref="TreeCopy.Make(string, TreeCopy?, string?[])"/>).
/// The wrong solutions' copies are made side by side (<see cref="LabGradings"/>), all after the build
/// has ended and only from a build that succeeded: nobody builds in the reference's copy while
/// another copies from it (its grader's `make` finds nothing to do).
/// </summary>
public static class ReferenceBuilds
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);
    private static readonly ConcurrentDictionary<string, Lazy<Task<ReferenceBuild>>> Copies = new();

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

    /// <summary>The lab's reference copy (its start patch, if any, and solution.patch applied), built (in a <see cref="GradingSlots">slot</see>).</summary>
    public static Task<ReferenceBuild> Of(string assignment) =>
        Copies.GetOrAdd(assignment, name => new Lazy<Task<ReferenceBuild>>(() => GradingSlots.Run(() => Build(name)))).Value;

    /// <summary>
    /// The lab's reference copy, or null if it cannot be made (its patch does not apply: the reference
    /// test says so) or its build failed: a wrong solution's copy then builds on the checkout's outputs.
    /// </summary>
    public static async Task<TreeCopy?> BasisFor(string assignment)
    {
        try
        {
            ReferenceBuild reference = await Of(assignment).ConfigureAwait(false);
            return reference.Succeeded ? reference.Copy : null;
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
    private static ReferenceBuild Build(string assignment)
    {
        var watch = Stopwatch.StartNew();
        TreeCopy copy = TreeCopy.ForLab(assignment, $"assignments/{assignment}/solution.patch", parent: Folder);
        TimeSpan copied = watch.Elapsed;
        var start = new ProcessStartInfo("make")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = copy.Root,
        };
        foreach (string argument in new[] { "-s", "kernel" }) start.ArgumentList.Add(argument);
        (int status, _) = Grader.RunWithStatus(start, Limit);
        return new ReferenceBuild(copy, status == 0, copied, watch.Elapsed - copied);
    }
}

/// <summary>A lab's reference copy, whether its build succeeded, and how long the copy and the build took.</summary>
public sealed record ReferenceBuild(TreeCopy Copy, bool Succeeded, TimeSpan Copied, TimeSpan Built);
