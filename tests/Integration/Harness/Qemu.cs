using System.Diagnostics;
using System.Text;

namespace TeachOS.Tests.Integration.Harness;

/// <summary>
/// Boots TeachOS through tools/run-qemu.sh, exactly as `make boot` does, and collects the serial log.
/// </summary>
public static class Qemu
{
    /// <summary>
    /// Boots with <paramref name="commandLine"/> and waits for the kernel's verdict. With
    /// <paramref name="disk"/>, that raw image is attached as the kernel's disk (tools/run-qemu.sh
    /// --disk): give each boot an image of its own, since QEMU locks the file.
    /// </summary>
    public static BootResult Boot(string commandLine, int timeoutSeconds = 60, string smp = "1", string? disk = null) =>
        Run(RunnerArguments(commandLine, timeoutSeconds, smp, iso: false, disk), stopWhen: null, timeoutSeconds);

    /// <summary>Like <see cref="Boot"/>, with the raw image <paramref name="diskImage"/> attached as the virtio disk.</summary>
    public static BootResult BootWithDisk(string commandLine, string diskImage, int timeoutSeconds = 60, string smp = "1")
    {
        List<string> arguments = RunnerArguments(commandLine, timeoutSeconds, smp, iso: false);
        arguments.Add("--disk");
        arguments.Add(diskImage);
        return Run(arguments, stopWhen: null, timeoutSeconds);
    }

    /// <summary>
    /// Boots with <paramref name="commandLine"/> and types <paramref name="input"/> on the serial console
    /// (all at once: the kernel's input queue holds it until the shell reads it), then waits for the verdict.
    /// With <paramref name="disk"/>, that raw image is attached as the virtio disk.
    /// </summary>
    public static BootResult BootWithInput(string commandLine, string input, int timeoutSeconds = 60, string smp = "1", string? disk = null) =>
        Run(RunnerArguments(commandLine, timeoutSeconds, smp, iso: false, disk), stopWhen: null, timeoutSeconds, input);

    /// <summary>
    /// Like <see cref="Boot"/>, with <paramref name="qemuArguments"/> passed to QEMU after the runner's own
    /// (a later -cpu overrides the runner's: `-cpu max,-svm` is a CPU without AMD's virtualization).
    /// </summary>
    public static BootResult BootWithQemuArguments(string commandLine, IEnumerable<string> qemuArguments, int timeoutSeconds = 60)
    {
        List<string> arguments = RunnerArguments(commandLine, timeoutSeconds, "1", iso: false);
        arguments.Add("--");
        arguments.AddRange(qemuArguments);
        return Run(arguments, stopWhen: null, timeoutSeconds);
    }

    /// <summary>
    /// Boots and stops QEMU as soon as a serial line contains <paramref name="marker"/>, for boots that
    /// never end by themselves (the ISO's default entry, the shell). Status is 0 if the marker was seen.
    /// </summary>
    /// <summary>
    /// As BootWithInput, with host ports forwarded to the guest's (`H:G`, run-qemu.sh --forward): a test
    /// talks to a TeachOS server through 127.0.0.1:H while the boot runs (start it in a task).
    /// </summary>
    public static BootResult BootWithForwards(string commandLine, string input, IEnumerable<string> forwards, int timeoutSeconds = 60)
    {
        List<string> arguments = RunnerArguments(commandLine, timeoutSeconds, "1", iso: false);
        foreach (string forward in forwards) { arguments.Add("--forward"); arguments.Add(forward); }
        return Run(arguments, stopWhen: null, timeoutSeconds, input);
    }

    public static BootResult BootUntil(string marker, string commandLine = "", bool iso = false, int timeoutSeconds = 60, string smp = "1") =>
        Run(RunnerArguments(commandLine, timeoutSeconds, smp, iso), marker, timeoutSeconds);

    /// <summary>
    /// Boots with <paramref name="commandLine"/> at -smp 1 under QEMU's -icount (tools/run-qemu.sh
    /// --icount), where rdtsc counts guest instructions, and waits for the verdict. Without the debug
    /// heap's words: its checks would be counted in every path that allocates, and the figures are meant
    /// to be the ones `make bench` prints. The host's speed changes only how long this takes. With
    /// <paramref name="disk"/>, that image is attached (a path that waits for the disk is not
    /// deterministic: the guest's clock runs on while it waits, by what the host takes).
    /// </summary>
    public static BootResult BootCountingInstructions(string commandLine, int timeoutSeconds, string? disk = null)
    {
        var arguments = new List<string> { "--headless", "--icount", "--timeout", timeoutSeconds.ToString(), "--smp", "1", "--cmdline", commandLine };
        if (disk != null) { arguments.Add("--disk"); arguments.Add(disk); }
        return Run(arguments, stopWhen: null, timeoutSeconds);
    }

    /// <summary>
    /// Words put before every test boot's command line: the debugging heap (kernel/Mem/HeapDebug.cs)
    /// checks every kernel allocation in every test, so a heap bug anywhere stops the test that caused
    /// it; `nologin`: a boot without init= lands in the shell (as root) instead of asking for a login,
    /// as the tests that type commands expect (LoginTests boot `init=/bin/init`, which asks). (ISO
    /// boots take GRUB's command line, iso/grub.cfg, and run without them.)
    /// </summary>
    public const string DefaultWords = "debug-heap nologin";

    private static List<string> RunnerArguments(string commandLine, int timeoutSeconds, string smp, bool iso, string? disk = null)
    {
        var arguments = new List<string> { "--headless", "--timeout", timeoutSeconds.ToString(), "--smp", smp };
        if (disk != null) { arguments.Add("--disk"); arguments.Add(disk); }
        if (iso) arguments.Add("--iso");
        else { arguments.Add("--cmdline"); arguments.Add(DefaultWords + " " + commandLine); }
        return arguments;
    }

    public static Process StartRunner(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Repository.PathOf("tools/run-qemu.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start tools/run-qemu.sh");
    }

    private static BootResult Run(List<string> arguments, string? stopWhen, int timeoutSeconds, string? input = null)
    {
        var watch = Stopwatch.StartNew();
        using Process runner = StartRunner(arguments);
        if (input != null)
        {
            runner.StandardInput.Write(input);
            runner.StandardInput.Flush();
        }
        var log = new StringBuilder();
        var errors = new StringBuilder();
        var markerSeen = new TaskCompletionSource();

        runner.OutputDataReceived += (_, line) =>
        {
            if (line.Data == null) return;
            lock (log) log.Append(line.Data).Append('\n');
            if (stopWhen != null && line.Data.Contains(stopWhen, StringComparison.Ordinal)) markerSeen.TrySetResult();
        };
        runner.ErrorDataReceived += (_, line) => { if (line.Data != null) lock (errors) errors.Append(line.Data).Append('\n'); };
        runner.BeginOutputReadLine();
        runner.BeginErrorReadLine();

        int status;
        if (stopWhen != null)
        {
            Task exited = runner.WaitForExitAsync();
            bool seen = Task.WaitAny(new[] { markerSeen.Task, exited }, TimeSpan.FromSeconds(timeoutSeconds + 10)) == 0;
            if (!runner.HasExited) Kill(runner);
            runner.WaitForExit();
            status = seen ? BootResult.StatusSuccess : (runner.ExitCode == 0 ? BootResult.StatusFailure : runner.ExitCode);
        }
        else
        {
            if (!runner.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds + 15))) Kill(runner);
            runner.WaitForExit();
            status = runner.ExitCode;
        }

        lock (log) lock (errors)
            return new BootResult(status, log.ToString().Replace("\r", ""), errors.ToString(), watch.Elapsed);
    }

    public static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }
}
