using Abi;
using TeachOS.Tools.DiskTools.Format;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>
/// A serial log as a traced boot would print it, made on the host: each operation's home blocks are
/// the blocks in which two images mkfs made differ (the tree before it and after it), and they reach
/// the disk by the kernel's commit protocol (log blocks, flush, header, flush, install, flush, empty
/// header, flush), or by a broken one the tests choose, between the operation's begin and done lines.
/// </summary>
public sealed class SyntheticTrace
{
    public enum Protocol { Correct, HeaderBeforeLogBlocks, InstallBeforeCommit, NoFlushBeforeHeader, ReturnBeforeCommit }

    private readonly List<string> lines = new();
    private readonly uint logStart;
    private int sequence, operation;

    public SyntheticTrace(uint logStart) => this.logStart = logStart;

    public IReadOnlyList<string> Lines => lines;

    /// <summary>One operation that changes the blocks in which the two images differ.</summary>
    public void Operation(string description, byte[] before, byte[] after, Protocol protocol = Protocol.Correct)
    {
        var changed = new List<(uint Block, byte[] Data)>();
        for (uint block = 0; block < before.Length / DiskFormat.BlockSize; block++)
        {
            var old = before.AsSpan((int)block * DiskFormat.BlockSize, DiskFormat.BlockSize);
            var now = after.AsSpan((int)block * DiskFormat.BlockSize, DiskFormat.BlockSize);
            if (!old.SequenceEqual(now)) changed.Add((block, now.ToArray()));
        }
        int n = ++operation;
        lines.Add($"crash-op {n} begin {description}");
        if (protocol == Protocol.InstallBeforeCommit) Install(changed);
        if (protocol == Protocol.HeaderBeforeLogBlocks) Header(changed);
        for (int i = 0; i < changed.Count; i++) Write(logStart + 1 + (uint)i, changed[i].Data);
        if (protocol != Protocol.NoFlushBeforeHeader) Flush();
        if (protocol == Protocol.ReturnBeforeCommit) lines.Add($"crash-op {n} done 0");
        if (protocol != Protocol.HeaderBeforeLogBlocks) Header(changed);
        Flush();
        if (protocol != Protocol.InstallBeforeCommit) Install(changed);
        Flush();
        Write(logStart, new byte[DiskFormat.BlockSize]);
        Flush();
        if (protocol != Protocol.ReturnBeforeCommit) lines.Add($"crash-op {n} done 0");
    }

    private void Install(List<(uint Block, byte[] Data)> changed)
    {
        foreach ((uint block, byte[] data) in changed) Write(block, data);
    }

    private void Header(List<(uint Block, byte[] Data)> changed)
    {
        var header = new DiskLogHeader { Count = (uint)changed.Count };
        for (int i = 0; i < changed.Count; i++) DiskStructs.SetLoggedBlock(ref header, i, changed[i].Block);
        var block = new byte[DiskFormat.BlockSize];
        DiskStructs.Write(block, header);
        Write(logStart, block);
    }

    private void Write(uint block, byte[] data)
    {
        int used = data.Length;
        while (used > 0 && data[used - 1] == 0) used--;
        lines.Add($"disk[w] {++sequence} {block} {(used == 0 ? "-" : Convert.ToBase64String(data, 0, used))}");
    }

    private void Flush() => lines.Add($"disk[f] {++sequence}");
}
