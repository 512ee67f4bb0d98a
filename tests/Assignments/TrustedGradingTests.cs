using System.Diagnostics;
using TeachOS.Tests.Assignments.Harness;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Assignments;

/// <summary>
/// The grader cannot be fooled, and one part cannot cost or give another's points. Each planted
/// submission in tests/Assignments/Planted/ is a patch whose header says which lab it is for, what
/// it does, and what grading it with this tree's own grader (tools/grade-submissions.sh, as an
/// instructor grades a class) must print: its score and the evidence that the mechanism against it
/// worked (a file ignored, a forged line ignored, a fail that wins, a part that timed out alone).
/// <code>
///   # what the submission does
///   # lab: NAME
///   # expect: TEXT            (printed by the trusted grading; one line per TEXT)
///   # untrusted: TEXT         (printed by the submission's own grader: the cheat is real)
/// </code>
/// The cheats that change the grader's own files also carry "untrusted:" lines: graded by the tree
/// they changed (`make grade` in the student's tree), they score full, which shows the trusted
/// copy is what stops them.
/// </summary>
public sealed class TrustedGradingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    public static TheoryData<string> Planted() => new(PlantedPatches());

    public static TheoryData<string> PlantedWithAnUntrustedScore() =>
        new(PlantedPatches().Where(patch => Header(patch, "untrusted").Any()));

    private static IEnumerable<string> PlantedPatches() =>
        Directory.GetFiles(Repository.PathOf("tests/Assignments/Planted"), "*.patch")
            .Select(path => $"tests/Assignments/Planted/{Path.GetFileName(path)}")
            .Order(StringComparer.Ordinal);

    /// <summary>The values of the patch's "# KEY: VALUE" header lines.</summary>
    private static IEnumerable<string> Header(string patch, string key) =>
        File.ReadLines(Repository.PathOf(patch))
            .TakeWhile(line => line.StartsWith("# ", StringComparison.Ordinal))
            .Where(line => line.StartsWith($"# {key}: ", StringComparison.Ordinal))
            .Select(line => line[$"# {key}: ".Length..]);

    [Theory]
    [MemberData(nameof(Planted))]
    public Task GradedWithTheTrustedCopy(string patch) => GradingSlots.Run(() =>
    {
        string lab = Header(patch, "lab").Single();
        string results = Path.Combine(Path.GetTempPath(), $"teachos-grades-{Guid.NewGuid():N}");
        try
        {
            (int status, string output) = Run(Repository.Root, Path.Combine(Repository.Root, "tools", "grade-submissions.sh"),
                "--results", results, lab, Repository.PathOf(patch));
            string label = Path.GetFileNameWithoutExtension(patch);
            string report = Path.Combine(results, label + ".txt");
            Assert.True(File.Exists(report), $"tools/grade-submissions.sh wrote no {report}\n{output}");
            string text = File.ReadAllText(report);
            foreach (string expected in Header(patch, "expect"))
                Assert.True(text.Contains(expected, StringComparison.Ordinal),
                    $"grading {patch} with the trusted copy should print \"{expected}\"\n----- report -----\n{text}");
            Assert.True(status != 0, $"tools/grade-submissions.sh should exit non-zero when a submission scores below full\n{output}");
        }
        finally
        {
            if (Directory.Exists(results)) Directory.Delete(results, recursive: true);
        }
    });

    [Theory]
    [MemberData(nameof(PlantedWithAnUntrustedScore))]
    public Task FoolsTheGraderItChanged(string patch) => GradingSlots.Run(() =>
    {
        string lab = Header(patch, "lab").Single();
        using TreeCopy copy = TreeCopy.WithPatch(patch);
        GradeResult result = Grader.Grade(copy.Root, lab);
        foreach (string expected in Header(patch, "untrusted"))
            Assert.True(result.Output.Contains(expected, StringComparison.Ordinal),
                $"{patch}, graded by the grader it changed, should print \"{expected}\"\n{result.Describe()}");
    });

    /// <summary>
    /// `make grade A=trace T=errors` runs one part: one boot, that part's checks only, and the exit
    /// status says whether they all passed. A name that is no part is refused, with the parts listed.
    /// </summary>
    /// <remarks>
    /// The copy is the trace reference's (<see cref="ReferenceBuilds"/>) again, so it builds nothing
    /// until the test edits the kernel.
    /// </remarks>
    [Fact]
    public async Task OnePartAlone()
    {
        TreeCopy? basis = await ReferenceBuilds.BasisFor("trace");
        await GradingSlots.Run(() => OnePartAloneOn(basis));
    }

    private static void OnePartAloneOn(TreeCopy? basis)
    {
        using TreeCopy copy = TreeCopy.WithPatchOn(basis, "assignments/trace/solution.patch");
        (int status, string output) = Run(copy.Root, "make", "-s", "grade", "A=trace", "T=errors");
        Assert.True(status == 0, $"make grade A=trace T=errors with the reference should succeed\n{output}");
        Assert.Contains("Score: 2/2", output);
        Assert.Contains("boot 1: errors (smp 1", output);
        Assert.DoesNotContain("boot 2:", output);
        Assert.DoesNotContain("part one-syscall", output);
        Assert.True(File.Exists(Path.Combine(copy.Root, "build", "grade-trace", "errors.log")), "the part's log was not kept");

        File.WriteAllText(Path.Combine(copy.Root, "kernel", "Syscalls", "SyscallTrace.cs"),
            File.ReadAllText(Path.Combine(copy.Root, "kernel", "Syscalls", "SyscallTrace.cs"))
                .Replace("if (number >= 64 ||", "if (result < 0 || number >= 64 ||", StringComparison.Ordinal));
        (status, output) = Run(copy.Root, Path.Combine(copy.Root, "tools", "grade.sh"), "--only", "errors", "trace");
        Assert.True(status == 1, $"below full (failed syscalls not traced) the grader should exit 1, not {status}\n{output}");
        Assert.Contains("Score: 0/2", output);

        (status, output) = Run(copy.Root, Path.Combine(copy.Root, "tools", "grade.sh"), "--only", "no-such-part", "trace");
        Assert.True(status == 2, $"an unknown part should be refused with status 2, not {status}\n{output}");
        Assert.Contains("its parts are: one-syscall selects errors off inherited per-process two-cpus", output);
    }

    private static (int Status, string Output) Run(string directory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        return (process.ExitCode, output.Result + error.Result);
    }
}
