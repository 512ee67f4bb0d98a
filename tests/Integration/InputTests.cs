using System.Net.Sockets;
using System.Text;
using TeachOS.Tests.Integration.Harness;
using Xunit;
using Xunit.Sdk;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Input reaches the kernel's console queue from the PS/2 keyboard (a key pressed in QEMU's window,
/// injected here with the monitor's sendkey) and from the serial port (what you type in the terminal).
/// </summary>
public class InputTests
{
    [Fact]
    public void KeypressFromTheKeyboardReachesTheInputQueue()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"teachos-monitor-{Guid.NewGuid():N}.sock");
        var result = Interact(new[] { "--monitor-socket", socket }, _ =>
        {
            using var monitor = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            monitor.Connect(new UnixDomainSocketEndPoint(socket));
            monitor.Send(Encoding.ASCII.GetBytes("sendkey shift-k\n"));
            Thread.Sleep(500);
        });
        File.Delete(socket);
        result.AssertStatus(BootResult.StatusSuccess).AssertLogContains("input: 'K'").AssertLogContains("test console-input ok");
    }

    [Fact]
    public void ByteFromTheSerialPortReachesTheInputQueue()
    {
        Interact(Array.Empty<string>(), runner =>
        {
            runner.StandardInput.Write("z");
            runner.StandardInput.Flush();
        }).AssertStatus(BootResult.StatusSuccess).AssertLogContains("input: 'z'").AssertLogContains("test console-input ok");
    }

    /// <summary>Boots test=console-input and calls <paramref name="send"/> once the kernel waits for input.</summary>
    private static BootResult Interact(string[] extraArguments, Action<System.Diagnostics.Process> send)
    {
        var arguments = new List<string> { "--headless", "--timeout", "60", "--cmdline", "test=console-input" };
        arguments.AddRange(extraArguments);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var runner = Qemu.StartRunner(arguments);
        var log = new StringBuilder();
        var waiting = new TaskCompletionSource();
        runner.OutputDataReceived += (_, line) =>
        {
            if (line.Data == null) return;
            lock (log) log.AppendLine(line.Data.TrimEnd('\r'));
            if (line.Data.Contains("waiting for input")) waiting.TrySetResult();
        };
        runner.BeginOutputReadLine();
        runner.BeginErrorReadLine();
        if (!waiting.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            Qemu.Kill(runner);
            lock (log) throw new XunitException("the kernel never waited for input\n" + log);
        }
        send(runner);
        if (!runner.WaitForExit(TimeSpan.FromSeconds(60))) Qemu.Kill(runner);
        runner.WaitForExit();
        lock (log) return new BootResult(runner.ExitCode, log.ToString(), "", watch.Elapsed);
    }
}
