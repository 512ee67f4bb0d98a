using System.Diagnostics;
using TeachOS.Tests.Assignments.Harness;
using Xunit;

namespace TeachOS.Tests.Assignments;

/// <summary>
/// `make handin A=NAME` (tools/handin.sh) on a student's tree: a copy of the checkout made a git
/// repository of one commit, the starting point as a template repository gives it (the base handin
/// falls back to when there is no upstream branch), with a small change on top. The archive must
/// hold the change (as a patch and as files), time.txt and the answers, and no build output, though
/// the build has just filled build/ and the projects' bin/ and obj/. Without time.txt or the answers,
/// or when the tree does not build, handin refuses and writes nothing. One build from scratch.
/// </summary>
public sealed class HandinTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);
    private const string Archive = "build/handin-trace.tar.gz";
    private const string AddedLine = "// handed in: a line the student added";

    [Fact]
    public Task HandinPacksTheChangesOnlyAndRefusesATreeThatDoesNotBuild() => GradingSlots.Run(() =>
    {
        using TreeCopy tree = TreeCopy.Make(Path.Combine(Path.GetTempPath(), $"teachos-handin-{Guid.NewGuid():N}"));
        string root = tree.Root;
        Run(root, "git", "init", "-q");
        Run(root, "git", "add", "-A");
        Run(root, "git", "-c", "user.name=Course", "-c", "user.email=course@example.org", "commit", "-q", "-m", "starting point");

        // The student's work: an edit of a tracked file and a new file, neither committed.
        File.AppendAllText(Path.Combine(root, "userland/Programs/echo.cs"), AddedLine + "\n");
        File.WriteAllText(Path.Combine(root, "userland/Files/etc/handin-note.txt"), "a new file\n");

        (int status, string output) = Run(root, "make", "handin", "A=trace");
        Assert.True(status != 0, $"handin without time.txt should be refused\n{output}");
        Assert.Contains("time.txt", output);
        Assert.False(File.Exists(Path.Combine(root, Archive)), "a refused handin wrote an archive");

        File.WriteAllText(Path.Combine(root, "time.txt"), "6\n");
        (status, output) = Run(root, "make", "handin", "A=trace");
        Assert.True(status != 0, $"handin without answers-trace.txt should be refused\n{output}");
        Assert.Contains("answers-trace.txt", output);

        File.WriteAllText(Path.Combine(root, "answers-trace.txt"), "1. The arguments are in the TrapFrame.\n");
        (status, output) = Run(root, "make", "handin", "A=trace");
        Assert.True(status == 0, $"handin of a tree that builds failed\n{output}");
        Assert.True(File.Exists(Path.Combine(root, "build/kernel.elf")), "handin did not build the tree");

        string[] entries = Run(root, "tar", "-tzf", Archive).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string listing = string.Join('\n', entries);
        foreach (string expected in new[]
        {
            "handin-trace/trace.patch", "handin-trace/time.txt", "handin-trace/answers-trace.txt", "handin-trace/base.txt",
            "handin-trace/changed/userland/Programs/echo.cs", "handin-trace/changed/userland/Files/etc/handin-note.txt",
        })
            Assert.True(entries.Contains(expected), $"the archive lacks {expected}:\n{listing}");
        Assert.DoesNotContain(entries, entry => entry.Contains("/build/") || entry.Contains("/bin/") || entry.Contains("/obj/"));
        Assert.DoesNotContain(entries, entry => entry.Contains("changed/kernel/"));   // unchanged files stay out

        string patch = Run(root, "tar", "-xzOf", Archive, "handin-trace/trace.patch").Output;
        Assert.Contains("+" + AddedLine, patch);
        Assert.Contains("+++ b/userland/Files/etc/handin-note.txt", patch);
        Assert.DoesNotContain("+++ b/build/", patch);
        Assert.DoesNotContain("/obj/", patch);
        Assert.Equal("6\n", Run(root, "tar", "-xzOf", Archive, "handin-trace/time.txt").Output);

        // A tree that does not build is refused, and the archive of the last good handin is not replaced.
        File.Delete(Path.Combine(root, Archive));
        File.WriteAllText(Path.Combine(root, "kernel/Syscalls/Unfinished.cs"), "namespace Syscalls { public static class Unfinished { int } }\n");
        (status, output) = Run(root, "make", "handin", "A=trace");
        Assert.True(status != 0, $"handin of a tree that does not build should be refused\n{output}");
        Assert.Contains("does not build", output);
        Assert.False(File.Exists(Path.Combine(root, Archive)), "a refused handin wrote an archive");
    });

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
            Assert.Fail($"{program} {string.Join(' ', arguments)} ran longer than {Limit.TotalMinutes} minutes");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
