using System.Globalization;

namespace TeachOS.Tools.Profile;

/// <summary>
/// One timer tick's sample as the kernel printed it: `profile: CPU pid=PID K0 K1 ... | U0 U1 ...`.
/// Addresses are innermost first: the interrupted instruction, then each return address. The kernel's
/// frames come before the `|`, the program's after it (either side may be empty).
/// </summary>
public sealed record ProfileSample(int Cpu, int ProcessId, IReadOnlyList<ulong> KernelFrames, IReadOnlyList<ulong> UserFrames)
{
    public const string Prefix = "profile: ";

    /// <summary>The samples in a serial log; every other line is ignored.</summary>
    public static List<ProfileSample> ReadLog(IEnumerable<string> lines)
    {
        var samples = new List<ProfileSample>();
        foreach (string line in lines)
        {
            int start = line.IndexOf(Prefix, StringComparison.Ordinal);
            if (start >= 0 && TryParse(line[(start + Prefix.Length)..], out ProfileSample? sample)) samples.Add(sample!);
        }
        return samples;
    }

    /// <summary>Parses the part of a line after `profile: `; false if it is not a whole sample.</summary>
    public static bool TryParse(string text, out ProfileSample? sample)
    {
        sample = null;
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || !int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out int cpu)) return false;
        if (!words[1].StartsWith("pid=", StringComparison.Ordinal) ||
            !int.TryParse(words[1][4..], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) return false;
        var kernel = new List<ulong>();
        var user = new List<ulong>();
        bool userSide = false;
        for (int i = 2; i < words.Length; i++)
        {
            if (words[i] == "|") { if (userSide) return false; userSide = true; continue; }
            if (!ulong.TryParse(words[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong address)) return false;
            (userSide ? user : kernel).Add(address);
        }
        if (!userSide) return false;        // a line cut short by the end of the log
        sample = new ProfileSample(cpu, pid, kernel, user);
        return true;
    }
}
