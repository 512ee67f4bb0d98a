using TeachOS.Tests.Integration.Harness;
using TeachOS.Tools.Profile;
using Xunit;
using Xunit.Abstractions;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The sampling profiler end to end (kernel/Sched/Profiler.cs, tools/Profile): boot the benchmarks'
/// main paths with `profile` under -icount, fold the samples with the kernel's and bench's symbols,
/// and find where the time must go: most samples inside a system call, some of them in the pipe's
/// read or write (the ping-pong), each below bench's own frames.
/// </summary>
public class ProfilerTests
{
    private const int BootTimeoutSeconds = 900;
    private readonly ITestOutputHelper _output;

    public ProfilerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void ProfileOfTheMainPathsFindsTheSyscallAndPipePaths()
    {
        BootResult boot = Qemu.BootCountingInstructions("profile init=/bin/bench paths", BootTimeoutSeconds)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("profile-end");
        List<ProfileSample> samples = ProfileSample.ReadLog(boot.SerialLog.Split('\n').Select(line => line.TrimEnd('\r')));
        ElfSymbols kernel = ElfSymbols.Read(Repository.PathOf("build/kernel.elf"));
        ElfSymbols bench = ElfSymbols.Read(Repository.PathOf("build/user/bench.elf"));
        var stacks = StackFolder.Fold(samples, kernel.Lookup, bench.Lookup);
        foreach (string line in StackFolder.Lines(stacks).OrderByDescending(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..])).Take(10))
            _output.WriteLine(line);

        // A tick every million instructions: the main paths take some hundreds of millions.
        Assert.True(samples.Count > 100, $"only {samples.Count} samples\n{boot.Describe()}");
        // A system call runs in the dispatcher (SyscallDispatcher.DispatchAndExit) or below its row of the
        // syscall table (SyscallTable.CallNN...): the dispatcher jumps to the row rather than calling it, so
        // a handler's stack has the row, not the dispatcher, above it.
        int inSyscalls = stacks.Where(s => s.Key.Contains(";Kernel_Syscalls_Syscall", StringComparison.Ordinal)).Sum(s => s.Value);
        Assert.True(inSyscalls * 2 > samples.Count, $"{inSyscalls} of {samples.Count} samples in a system call");
        Assert.Contains(stacks.Keys, stack => stack.StartsWith("user;", StringComparison.Ordinal) &&
            stack.Contains(";bench_Bench__Main", StringComparison.Ordinal) &&
            stack.Contains(";Kernel_Fs_Pipe", StringComparison.Ordinal));                 // Pipe or PipeEnd, Read or Write
    }
}
