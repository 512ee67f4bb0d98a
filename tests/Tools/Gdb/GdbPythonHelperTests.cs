using System.Diagnostics;
using TeachOS.Tests.Tools.SchedTrace;
using Xunit;

namespace TeachOS.Tests.Tools.Gdb;

/// <summary>
/// The GDB extension's pure helpers (tools/gdb/teachos_gdb/names.py, cfi.py: C# name mangling,
/// completion, trap markers, page-table entries, call-frame rules) have Python unit tests in
/// tools/gdb/tests; this runs them, so `make test` does. No GDB or QEMU needed.
/// </summary>
public class GdbPythonHelperTests
{
    [Fact]
    public void PythonUnitTestsPass()
    {
        var python = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Traces.RepositoryRoot(),
        };
        foreach (string argument in new[] { "-m", "unittest", "discover", "-v", "-s", "tools/gdb/tests" })
            python.ArgumentList.Add(argument);
        using Process process = Process.Start(python)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0, stdout.Result + stderr);
        Assert.Matches(@"Ran [1-9]\d* tests", stderr);
        Assert.Contains("OK", stderr);
    }
}
