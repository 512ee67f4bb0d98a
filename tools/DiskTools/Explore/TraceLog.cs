using System.Text.RegularExpressions;

namespace TeachOS.Tools.DiskTools.Explore;

/// <summary>One block write the device finished: trace line SEQ, block BLOCK, its 1,024 bytes.</summary>
public sealed record TracedWrite(int Sequence, uint Block, byte[] Data);

/// <summary>
/// One operation of a workload (userland/Programs/crashload.cs): what it did (the words after
/// "begin") and where its two lines fell among the trace's lines: BeganAfter and ReturnedAfter count
/// the trace lines (writes and flushes) printed before its begin and its done line.
/// </summary>
public sealed record TracedOperation(int Number, string[] Words, int BeganAfter, int ReturnedAfter, long Result)
{
    public string Description => string.Join(' ', Words);
}

/// <summary>
/// A serial log of a traced boot, read in order: the kernel's `disk[w] SEQ BLOCK DATA` and
/// `disk[f] SEQ` lines (kernel/Drivers/DiskTrace.cs) and the workload's `crash-op N begin ...` and
/// `crash-op N done RESULT` lines. Other lines are ignored. Trace line SEQ is Lines[SEQ - 1].
/// </summary>
public sealed class TraceLog
{
    private static readonly Regex WriteLine = new(@"^disk\[w\] (\d+) (\d+) (\S+)\s*$");
    private static readonly Regex FlushLine = new(@"^disk\[f\] (\d+)\s*$");
    private static readonly Regex OperationLine = new(@"^crash-op (\d+) (begin|done) (.*?)\s*$");

    /// <summary>Every trace line in order: a TracedWrite, or null for a flush.</summary>
    public List<TracedWrite?> Lines { get; } = new();
    public List<TracedOperation> Operations { get; } = new();

    public int WriteCount => Lines.Count(l => l != null);

    /// <summary>
    /// Reads a log. With <paramref name="crashed"/> (a boot stopped by crash-after-writes), an
    /// operation that began and never returned is the one running at the crash: it is kept, with
    /// ReturnedAfter past every line.
    /// </summary>
    public static TraceLog Parse(IEnumerable<string> serialLines, bool crashed = false)
    {
        var log = new TraceLog();
        var begun = new Dictionary<int, (string[] Words, int After)>();
        foreach (string raw in serialLines)
        {
            string line = raw.TrimEnd('\r');
            Match match;
            if ((match = WriteLine.Match(line)).Success)
            {
                log.Expect(int.Parse(match.Groups[1].Value));
                log.Lines.Add(new TracedWrite(log.Lines.Count + 1, uint.Parse(match.Groups[2].Value), Decode(match.Groups[3].Value)));
            }
            else if ((match = FlushLine.Match(line)).Success)
            {
                log.Expect(int.Parse(match.Groups[1].Value));
                log.Lines.Add(null);
            }
            else if ((match = OperationLine.Match(line)).Success)
            {
                int number = int.Parse(match.Groups[1].Value);
                string rest = match.Groups[3].Value;
                if (match.Groups[2].Value == "begin")
                    begun[number] = (rest.Split(' ', StringSplitOptions.RemoveEmptyEntries), log.Lines.Count);
                else if (begun.Remove(number, out var start))
                    log.Operations.Add(new TracedOperation(number, start.Words, start.After, log.Lines.Count, long.Parse(rest)));
                else
                    throw new InvalidDataException($"crash-op {number} returned but never began");
            }
        }
        if (crashed && begun.Count == 1)
        {
            (int number, (string[] words, int after)) = begun.Single();
            log.Operations.Add(new TracedOperation(number, words, after, int.MaxValue, 0));
        }
        else if (begun.Count > 0)
            throw new InvalidDataException($"crash-op {begun.Keys.Min()} began but never returned (did the workload finish?)");
        return log;
    }

    private void Expect(int sequence)
    {
        if (sequence != Lines.Count + 1)
            throw new InvalidDataException($"trace line {sequence} follows line {Lines.Count}: the trace is missing lines");
    }

    /// <summary>The block's bytes: base64 up to its last nonzero byte ("-" for none), zeros after.</summary>
    public static byte[] Decode(string text)
    {
        var block = new byte[Abi.DiskFormat.BlockSize];
        if (text != "-") Convert.FromBase64String(text).CopyTo(block, 0);
        return block;
    }
}
