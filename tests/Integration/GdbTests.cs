using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TeachOS.Tests.Integration.Harness;
using Xunit;
using Xunit.Sdk;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Debugging the kernel at C# source level: QEMU starts frozen with its gdbstub, a batch GDB loads
/// build/kernel.elf, sets a hardware breakpoint on a C# method and checks the backtrace it shows.
/// </summary>
public class GdbTests
{
    [Fact]
    public void BreakpointOnCSharpMethodShowsSourceFileAndLine()
    {
        string output = RunGdb("test=strings", new[]
        {
            "hbreak Kernel_Tests_RuntimeTests__Strings",
            "continue",
            "bt",
            "info source",
        });

        Assert.Matches(@"Breakpoint 1, .*Kernel_Tests_RuntimeTests__Strings", output);
        Assert.Matches(@"#0 .*Kernel_Tests_RuntimeTests__Strings.* at .*kernel/Tests/RuntimeTests\.cs:\d+", output);
        Assert.Matches(@"#1 .*Kernel_Tests_KernelTestRunner__RunOne.* at .*kernel/Tests/KernelTestRunner\.cs:\d+", output);
    }

    [Fact]
    public void BreakTrapStopsInTheDispatcherOnADivideError()
    {
        string output = RunGdb("test=divide-error", new[]
        {
            "source tools/gdb/teachos.gdb",
            "break-trap 0",
            "continue",
            "trapframe",
            "bt 3",
        });

        Assert.Matches(@"Breakpoint 1, .*Kernel_Traps_TrapDispatcher__Dispatch", output);
        Assert.Matches(@"vector 0, error code 0x0", output);
        Assert.Matches(@"interrupted: rip 0x[0-9a-f]{16}  cs 0x8 \(ring 0\)", output);
        Assert.Matches(@"interrupted code: Kernel_Tests_TrapTests__DivideByZero \+ \d+ in section \.text", output);
        Assert.Matches(@"kernel/Traps/TrapDispatcher\.cs:\d+", output);
    }

    /// <summary>Runs GDB in batch mode against a frozen QEMU and returns everything GDB printed.</summary>
    public static string RunGdb(string commandLine, IEnumerable<string> commands, int timeoutSeconds = 90)
    {
        int port = FreePort();
        using Process qemu = Qemu.StartRunner(new[] { "--headless", "--timeout", timeoutSeconds.ToString(), "--gdb", port.ToString(), "--cmdline", commandLine });
        var serial = new System.Text.StringBuilder();
        qemu.OutputDataReceived += (_, line) => { if (line.Data != null) lock (serial) serial.AppendLine(line.Data); };
        qemu.BeginOutputReadLine();
        qemu.BeginErrorReadLine();
        try
        {
            var gdb = new ProcessStartInfo("gdb")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Repository.Root,
            };
            foreach (string argument in new[] { "-batch", "-nx", "-ex", "set architecture i386:x86-64", "-ex", "file build/kernel.elf",
                                                "-ex", $"target remote localhost:{port}" })
                gdb.ArgumentList.Add(argument);
            foreach (string command in commands) { gdb.ArgumentList.Add("-ex"); gdb.ArgumentList.Add(command); }
            gdb.ArgumentList.Add("-ex");
            gdb.ArgumentList.Add("kill");

            using Process debugger = Process.Start(gdb)!;
            Task<string> stdout = debugger.StandardOutput.ReadToEndAsync();
            Task<string> stderr = debugger.StandardError.ReadToEndAsync();
            if (!debugger.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
            {
                Qemu.Kill(debugger);
                throw new XunitException("GDB did not finish in time.\n" + stdout.Result + stderr.Result);
            }
            string output = stdout.Result + stderr.Result;
            lock (serial) return output + "\n----- serial log -----\n" + serial;
        }
        finally
        {
            if (!qemu.HasExited) Qemu.Kill(qemu);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
