using TeachOS.Tests.Integration.Harness;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The main paths (syscall both ways, pipe ping-pong, spawn+exit+wait, thread switch, a user page fault,
/// a stat and a cached read on the disk)
/// stay within their instruction budgets (tests/Integration/Budgets/paths.txt). Counted under QEMU's
/// -icount, so a figure is the same on every run whatever the host's load; only the boot's duration
/// varies, hence the generous timeout.
/// </summary>
public class PathBudgetTests
{
    private const int BootTimeoutSeconds = 900;
    private readonly ITestOutputHelper _output;

    public PathBudgetTests(ITestOutputHelper output) => _output = output;

    private static IReadOnlyList<PathBudget> CheckedInBudgets() =>
        PathBudgets.Parse(File.ReadAllText(Repository.PathOf(PathBudgets.FileName)));

    [Fact]
    public void MainPathsStayWithinTheirInstructionBudgets()
    {
        BootResult boot = Qemu.BootCountingInstructions("init=/bin/bench paths", BootTimeoutSeconds)
            .AssertStatus(BootResult.StatusSuccess);
        // The disk's paths that do not wait for the disk (userland/Programs/bench/Files.cs), on a copy of build/disk.img.
        BootResult diskBoot = Qemu.BootCountingInstructions("init=/bin/bench fs-paths", BootTimeoutSeconds, DiskImages.CopyOfBuiltImage())
            .AssertStatus(BootResult.StatusSuccess);
        var figures = new Dictionary<string, long>(PathBudgets.FiguresIn(boot.SerialLog));
        foreach ((string name, long figure) in PathBudgets.FiguresIn(diskBoot.SerialLog)) figures[name] = figure;
        IReadOnlyList<PathBudget> budgets = CheckedInBudgets();
        foreach (PathBudget budget in budgets)
            _output.WriteLine($"{budget.Name}: {(figures.TryGetValue(budget.Name, out long figure) ? figure : -1)} instructions (budget {budget.Instructions})");

        IReadOnlyList<string> violations = PathBudgets.Violations(budgets, figures);
        if (violations.Count > 0)
            throw new XunitException(string.Join("\n", violations) + "\n" + boot.Describe() + "\n" + diskBoot.Describe());
    }

    [Fact]
    public void TheBudgetFileCoversTheMainPaths()
    {
        var names = CheckedInBudgets().Select(budget => budget.Name).ToHashSet();
        foreach (string path in new[] { "syscall-roundtrip-syscall", "syscall-roundtrip-int80", "pipe-pingpong-roundtrip",
                                        "spawn-exit-wait", "thread-switch", "page-fault-kill", "disk-stat", "disk-read-1kib-cached" })
            Assert.Contains(path, names);
    }

    [Fact]
    public void AFigureElevenPercentOverItsBudgetFailsAndNamesTheNewFigure()
    {
        var budgets = new[] { new PathBudget("spawn-exit-wait", 1000, "") };
        IReadOnlyList<string> violations = PathBudgets.Violations(budgets, new Dictionary<string, long> { ["spawn-exit-wait"] = 1110 });

        string violation = Assert.Single(violations);
        Assert.Contains("1110 instructions, 11.0 % over its budget of 1000", violation);
        Assert.Contains("set its budget in tests/Integration/Budgets/paths.txt to 1110", violation);
    }

    [Fact]
    public void AFigureUpToTenPercentOverOrUnderItsBudgetPasses()
    {
        var budgets = new[] { new PathBudget("thread-switch", 1000, "") };
        foreach (long figure in new long[] { 1100, 1000, 400 })
            Assert.Empty(PathBudgets.Violations(budgets, new Dictionary<string, long> { ["thread-switch"] = figure }));
        Assert.True(PathBudgets.IsOverBudget(1101, 1000));
    }

    [Fact]
    public void ABudgetWhosePathIsNoLongerMeasuredFails()
    {
        var budgets = new[] { new PathBudget("pipe-pingpong-roundtrip", 1000, "") };
        Assert.Contains("not measured any more", Assert.Single(PathBudgets.Violations(budgets, new Dictionary<string, long>())));
    }

    [Fact]
    public void FiguresAreReadFromBenchLinesInCycles()
    {
        IReadOnlyDictionary<string, long> figures = PathBudgets.FiguresIn(
            "initrd: 26 files\nbench syscall-roundtrip-syscall: 264 cycles\nbench syscall-to-int80-ratio: 101 percent\n" +
            "bench thread-yield-pingpong: 1139 cycles per yield (two switches)\n");
        Assert.Equal(new Dictionary<string, long> { ["syscall-roundtrip-syscall"] = 264, ["thread-yield-pingpong"] = 1139 }, figures);
    }

    [Fact]
    public void ABudgetLineWithoutANumberIsAnError()
    {
        Assert.Throws<FormatException>(() => PathBudgets.Parse("thread-switch lots # oops\n"));
        Assert.Equal(new PathBudget("thread-switch", 569, "half of the above"),
                     Assert.Single(PathBudgets.Parse("# comment\n\nthread-switch   569   # half of the above\n")));
    }
}
