using System.Diagnostics;
using TeachOS.Tests.Assignments.Harness;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Assignments;

/// <summary>
/// The start-patch mechanism, without booting: a lab whose feature the tree has (bigfile, symlink)
/// carries assignments/NAME/start.patch, which takes the feature out. Every patch the tests apply
/// applies where it goes (tools/check-patches.sh: a lab's solution and wrong solutions on top of its
/// start patch); `make lab-start` applies a start patch to a clean checkout and commits it, and
/// refuses a dirty one or a second start; `make handin` takes that commit as the base and refuses a
/// base without the start patch. Each lab with a start patch is tested as one
/// (<see cref="StartPatchedAssignmentTests"/>: the tree itself must score full too).
/// </summary>
public sealed class StartPatchTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public void EveryPatchAppliesWhereItGoes()
    {
        (int status, string output) = Run(Repository.Root, Path.Combine(Repository.Root, "tools/check-patches.sh"));
        Assert.True(status == 0, $"tools/check-patches.sh found patches that do not apply:\n{output}");
    }

    [Fact]
    public void LabsWithAStartPatchAreTestedAsSuch()
    {
        foreach (Type type in typeof(AssignmentTests).Assembly.GetTypes().Where(type => type.IsSubclassOf(typeof(AssignmentTests)) && !type.IsAbstract))
        {
            var tests = (AssignmentTests)Activator.CreateInstance(type)!;
            bool patched = tests.StartPatch != null, declared = type.IsSubclassOf(typeof(StartPatchedAssignmentTests));
            Assert.True(patched == declared,
                $"{type.Name}: assignments/{tests.Name}/start.patch {(patched ? "exists" : "does not exist")}, so the class should {(patched ? "" : "not ")}derive from StartPatchedAssignmentTests");
        }
    }

    [Fact]
    public Task LabStartCommitsTheStartPatchAndHandinStartsFromThere() => GradingSlots.Run(() =>
    {
        using TreeCopy tree = TreeCopy.Make(Path.Combine(Path.GetTempPath(), $"teachos-labstart-{Guid.NewGuid():N}"));
        string root = tree.Root;
        Git(root, "init", "-q");
        Git(root, "add", "-A");
        Git(root, "-c", "user.name=Course", "-c", "user.email=course@example.org", "commit", "-q", "-m", "the course's tree");

        // Before the lab starts, the tree has the feature: handin refuses to take it as the starting point.
        (int status, string output) = Run(root, "make", "handin", "A=bigfile");
        Assert.True(status != 0 && output.Contains("make lab-start A=bigfile"), $"handin before lab-start should be refused, naming make lab-start\n{output}");

        // A lab without a start patch, or a dirty checkout, is refused and left as it was.
        (status, output) = Run(root, "make", "lab-start", "A=trace");
        Assert.True(status != 0 && output.Contains("no assignments/trace/start.patch"), $"lab-start of a lab without a start patch should be refused\n{output}");
        File.AppendAllText(Path.Combine(root, "README.md"), "a change\n");
        (status, output) = Run(root, "make", "lab-start", "A=bigfile");
        Assert.True(status != 0 && output.Contains("uncommitted changes"), $"lab-start in a dirty checkout should be refused\n{output}");
        Git(root, "checkout", "-q", "--", "README.md");

        (status, output) = Run(root, "make", "lab-start", "A=bigfile");
        Assert.True(status == 0, $"lab-start in a clean checkout failed\n{output}");
        Assert.Contains("applied assignments/bigfile/start.patch", output);
        Assert.Contains("Lab-Start: bigfile", Git(root, "log", "-1", "--format=%B"));
        Assert.Equal("", Git(root, "status", "--porcelain"));
        Git(root, "apply", "--reverse", "--check", "assignments/bigfile/start.patch");     // it is applied

        (status, output) = Run(root, "make", "lab-start", "A=bigfile");
        Assert.True(status != 0 && output.Contains("already applied"), $"a second lab-start should be refused\n{output}");

        // handin now starts from the lab-start commit (and, without time.txt, refuses before building).
        (status, output) = Run(root, "make", "handin", "A=bigfile");
        Assert.True(output.Contains("the commit make lab-start A=bigfile made") && status != 0 && output.Contains("time.txt"),
            $"handin should take the lab-start commit as its base\n{output}");
    });

    private static string Git(string directory, params string[] arguments)
    {
        (int status, string output) = Run(directory, "git", arguments);
        Assert.True(status == 0, $"git {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }

    private static (int Status, string Output) Run(string directory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false, WorkingDirectory = directory,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // The copy is a repository of its own, in the temporary folder: git must not look above it.
        start.Environment["GIT_CEILING_DIRECTORIES"] = Path.GetDirectoryName(directory)!;
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
