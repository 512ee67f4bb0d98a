namespace TeachOS.Tools.DiskTools.Explore;

/// <summary>
/// One disk the machine may have left behind: the power failed after trace line CrashAfter (0: before
/// the first), and of the writes since the last flush, those in Omitted had not reached the medium.
/// </summary>
public sealed record CrashState(int CrashAfter, IReadOnlyList<int> Omitted)
{
    public override string ToString() =>
        Omitted.Count == 0 ? $"crash after trace line {CrashAfter}" : $"crash after trace line {CrashAfter} without write(s) {string.Join(',', Omitted)}";
}

/// <summary>
/// The states a trace allows. A disk may make the writes it holds durable in any order until a
/// flush (kernel/Drivers/DiskTrace.cs), so a crash after write c leaves every write up to the last
/// flush before it, and any subset of the writes since (an "epoch"). Each subset is listed once,
/// at its last write c: the full prefix, then the subsets of the epoch's earlier writes left out:
/// all of them when there are at most <see cref="Options.SubsetsPerPoint"/>, else every single
/// omission and a random sample (seeded, so a run can be repeated) up to that many.
/// A crash right after a flush line is the state before the next write: the flush finished
/// (the next trace line comes only once it has), so nothing is left out.
/// </summary>
public static class CrashStates
{
    public sealed record Options(int SubsetsPerPoint = 512, int Seed = 15);

    public static IEnumerable<CrashState> Of(TraceLog log, Options options)
    {
        int lastFlush = 0;
        yield return new CrashState(0, Array.Empty<int>());
        for (int line = 1; line <= log.Lines.Count; line++)
        {
            if (log.Lines[line - 1] == null)
            {
                lastFlush = line;
                yield return new CrashState(line, Array.Empty<int>());
                continue;
            }
            // The writes of this epoch before this one: each may be missing.
            var earlier = Enumerable.Range(lastFlush + 1, line - lastFlush - 1).ToArray();
            foreach (int[] omitted in Omissions(earlier, options, line)) yield return new CrashState(line, omitted);
        }
    }

    private static IEnumerable<int[]> Omissions(int[] earlier, Options options, int line)
    {
        if (earlier.Length < 31 && 1L << earlier.Length <= options.SubsetsPerPoint)
        {
            for (long mask = 0; mask < 1L << earlier.Length; mask++)
                yield return earlier.Where((_, i) => (mask >> i & 1) != 0).ToArray();
            yield break;
        }
        var seen = new HashSet<string>();
        yield return Array.Empty<int>();
        foreach (int write in earlier) yield return new[] { write };
        seen.Add("");
        foreach (int write in earlier) seen.Add(write.ToString());
        var random = new Random(options.Seed * 1_000_003 + line);
        for (int tries = 0; seen.Count < options.SubsetsPerPoint && tries < options.SubsetsPerPoint * 4; tries++)
        {
            int[] omitted = earlier.Where(_ => random.Next(2) == 0).ToArray();
            if (seen.Add(string.Join(',', omitted))) yield return omitted;
        }
    }
}
