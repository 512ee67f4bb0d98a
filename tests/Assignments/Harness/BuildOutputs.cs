using System.Diagnostics;
using TeachOS.Tests.Integration.Harness;
using Xunit.Sdk;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// A tree's build outputs, copied into a tree copy by tools/copy-build.sh (with their modification
/// times, and the configure step's absolute paths moved to the copy), so that the copy's `make kernel`
/// is incremental: a lab's patch changes a few files, and make rebuilds what depends on them (the
/// kernel, or one program) instead of the whole tree (the runtime, the kernel, forty programs, each
/// through ilc).
/// </summary>
public static class BuildOutputs
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Copies the checkout's outputs into <paramref name="root"/>, which already holds the tracked
    /// files. Holds the lock tools/grade.sh builds under, so a grader building the checkout at the
    /// same time is not copied half way.
    /// </summary>
    public static void CopyInto(string root)
    {
        _ = CheckoutBuild.Value;
        using FileStream gradeBuildLock = LockCheckoutBuild();
        CopyInto(root, Repository.Root);
    }

    /// <summary>Copies the outputs of the tree at <paramref name="basis"/> (a copy nobody builds meanwhile) into <paramref name="root"/>.</summary>
    public static void CopyInto(string root, string basis)
    {
        (int status, string output) = Run(Repository.Root, Repository.PathOf("tools/copy-build.sh"), basis, root);
        if (status != 0) throw new XunitException($"tools/copy-build.sh {basis} {root} failed:\n{output}");
    }

    /// <summary>
    /// The checkout built once, before the first copy (`make test` has built it already, and then this
    /// does nothing): otherwise every copy would build the same files from scratch, side by side. A
    /// failed build is left to each copy's grader to report, as before.
    /// </summary>
    private static readonly Lazy<int> CheckoutBuild = new(() =>
    {
        Directory.CreateDirectory(Repository.PathOf("build"));
        return Run(Repository.Root, "flock", "-o", "build/.grade-build.lock", "make", "-s", "kernel").Status;
    });

    /// <summary>
    /// build/.grade-build.lock, taken as flock(1) in tools/grade.sh takes it (.NET locks a file opened
    /// with FileShare.None with flock). Waits while someone else holds it.
    /// </summary>
    private static FileStream LockCheckoutBuild()
    {
        string path = Repository.PathOf("build/.grade-build.lock");
        DateTime giveUp = DateTime.UtcNow.Add(Limit);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < giveUp)
            {
                Thread.Sleep(500);
            }
        }
    }

    private static (int Status, string Output) Run(string directory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false, WorkingDirectory = directory,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new XunitException($"{program} {string.Join(' ', arguments)} ran longer than {Limit.TotalMinutes} minutes");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
