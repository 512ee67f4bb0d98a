using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace TeachOS.Tests.Integration.Harness;

/// <summary>
/// A boot a test talks to while it runs (tools/run-qemu.sh): it waits for a serial line to match, types
/// on the serial console, and at the end collects the verdict and the whole log as a BootResult.
/// </summary>
public sealed class RunningQemu : IDisposable
{
    private readonly Process _runner;
    private readonly StringBuilder _log = new();
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public RunningQemu(IEnumerable<string> arguments)
    {
        _runner = Qemu.StartRunner(arguments);
        _runner.OutputDataReceived += (_, line) =>
        {
            if (line.Data == null) return;
            lock (_log) { _log.Append(line.Data.TrimEnd('\r')).Append('\n'); Monitor.PulseAll(_log); }
        };
        _runner.ErrorDataReceived += (_, _) => { };
        _runner.BeginOutputReadLine();
        _runner.BeginErrorReadLine();
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Waits until a line matches <paramref name="pattern"/> (multiline regex) and returns the match; fails with the log after <paramref name="timeout"/>.</summary>
    public Match WaitFor(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        DateTime end = DateTime.UtcNow + timeout;
        bool exitSeen = false;
        lock (_log)
        {
            while (true)
            {
                Match match = regex.Match(_log.ToString());
                if (match.Success) return match;
                // Once QEMU has gone, one more look after its last lines are read, then give up.
                if (DateTime.UtcNow >= end || exitSeen)
                    throw new XunitException($"no serial line matched /{pattern}/\n----- serial log -----\n{_log}\n-----");
                exitSeen = _runner.HasExited;
                Monitor.Wait(_log, TimeSpan.FromMilliseconds(200));
            }
        }
    }

    public void Type(string text)
    {
        _runner.StandardInput.Write(text);
        _runner.StandardInput.Flush();
    }

    /// <summary>Waits for the kernel's verdict (QEMU's exit) and returns everything as a BootResult.</summary>
    public BootResult Finish(TimeSpan timeout)
    {
        if (!_runner.WaitForExit(timeout)) Qemu.Kill(_runner);
        _runner.WaitForExit();
        lock (_log) return new BootResult(_runner.ExitCode, _log.ToString(), "", _watch.Elapsed);
    }

    public void Dispose()
    {
        if (!_runner.HasExited) Qemu.Kill(_runner);
        _runner.Dispose();
    }
}
