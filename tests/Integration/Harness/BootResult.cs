using Xunit.Sdk;

namespace TeachOS.Tests.Integration.Harness;

/// <summary>What one boot produced: the runner's exit status and everything the kernel printed.</summary>
public sealed record BootResult(int ExitStatus, string SerialLog, string RunnerErrors, TimeSpan Elapsed)
{
    public const int StatusSuccess = 0;
    public const int StatusFailure = 1;
    public const int StatusPanic = 100;
    public const int StatusTimeout = 124;

    /// <summary>Fails with the whole serial log unless the kernel reported <paramref name="expected"/>.</summary>
    public BootResult AssertStatus(int expected)
    {
        if (ExitStatus != expected)
            throw new XunitException($"expected status {expected}, got {ExitStatus}.\n{Describe()}");
        return this;
    }

    /// <summary>Fails with the whole serial log unless it contains <paramref name="text"/>.</summary>
    public BootResult AssertLogContains(string text)
    {
        if (!SerialLog.Contains(text, StringComparison.Ordinal))
            throw new XunitException($"the serial log does not contain \"{text}\".\n{Describe()}");
        return this;
    }

    public BootResult AssertLogMatches(string pattern)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(SerialLog, pattern, System.Text.RegularExpressions.RegexOptions.Multiline))
            throw new XunitException($"the serial log does not match /{pattern}/.\n{Describe()}");
        return this;
    }

    public BootResult AssertLogDoesNotContain(string text)
    {
        if (SerialLog.Contains(text, StringComparison.Ordinal))
            throw new XunitException($"the serial log contains \"{text}\" but should not.\n{Describe()}");
        return this;
    }

    public string Describe() =>
        $"runner status {ExitStatus} after {Elapsed.TotalSeconds:F1}s\n" +
        (RunnerErrors.Length > 0 ? $"runner said: {RunnerErrors.Trim()}\n" : "") +
        $"----- serial log -----\n{SerialLog}\n----- end of serial log -----";
}
