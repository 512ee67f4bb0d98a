namespace TeachOS.Tools.Profile;

/// <summary>
/// Folds samples into the "collapsed stack" format flame graphs are drawn from: one line per distinct
/// stack, `frame;frame;frame COUNT`, outermost frame first. A stack starts with `user` (a program's
/// thread: the processes a benchmark forks all add up in one graph) or `kernel` (a kernel thread), then the program's frames from main inwards, then the
/// kernel's from the trap inwards: the kernel runs on behalf of the program it interrupted.
/// Each address becomes its function's name; an unknown one stays a hex address.
/// </summary>
public static class StackFolder
{
    public static SortedDictionary<string, int> Fold(IEnumerable<ProfileSample> samples, Func<ulong, string?> kernelName, Func<ulong, string?> userName)
    {
        var stacks = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (ProfileSample sample in samples)
        {
            var frames = new List<string> { sample.ProcessId == 0 ? "kernel" : "user" };
            AddOutermostFirst(frames, sample.UserFrames, userName);
            AddOutermostFirst(frames, sample.KernelFrames, kernelName);
            string key = string.Join(';', frames);
            stacks[key] = stacks.TryGetValue(key, out int count) ? count + 1 : 1;
        }
        return stacks;
    }

    /// <summary>The folded lines, in the order of their stacks (so the same samples give the same file).</summary>
    public static IEnumerable<string> Lines(SortedDictionary<string, int> stacks) =>
        stacks.Select(pair => $"{pair.Key} {pair.Value}");

    /// <summary>Reads folded lines back (the count is after the last space).</summary>
    public static SortedDictionary<string, int> Parse(IEnumerable<string> lines)
    {
        var stacks = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            int space = line.LastIndexOf(' ');
            if (space <= 0 || !int.TryParse(line[(space + 1)..], out int count)) continue;
            string key = line[..space];
            stacks[key] = stacks.TryGetValue(key, out int before) ? before + count : count;
        }
        return stacks;
    }

    private static void AddOutermostFirst(List<string> frames, IReadOnlyList<ulong> innermostFirst, Func<ulong, string?> name)
    {
        for (int i = innermostFirst.Count - 1; i >= 0; i--)
        {
            // A return address is the instruction after the call: name the call itself (address - 1),
            // which is in the caller even when the call is a function's last instruction.
            ulong address = i == 0 ? innermostFirst[i] : innermostFirst[i] - 1;
            string frame = name(address) ?? $"0x{innermostFirst[i]:x}";
            frames.Add(frame.Replace(';', ':').Replace(' ', '_'));
        }
    }
}
