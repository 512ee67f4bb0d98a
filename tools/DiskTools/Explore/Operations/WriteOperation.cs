namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>
/// write PATH OFFSET LENGTH SEED, or append PATH LENGTH SEED (OFFSET: the file's end): LENGTH bytes
/// of the workload's pattern at OFFSET, a gap before it reading as zeros. Every name of the file
/// changes. The workload writes at most 3 KiB at once, so the kernel makes it one log operation.
/// </summary>
public sealed class WriteOperation(TracedOperation traced, string path, long? offset, int length, int seed) : ModelOperation(traced)
{
    protected override IEnumerable<string> Changes(ModelTree tree) => tree.NamesOf(tree.FileAt(path));

    protected override void Apply(ModelTree tree)
    {
        List<byte> bytes = tree.FileAt(path).Bytes;
        int at = (int)(offset ?? bytes.Count);
        while (bytes.Count < at + length) bytes.Add(0);
        for (int i = 0; i < length; i++) bytes[at + i] = PatternByte(seed, i);
    }

    /// <summary>Byte i of a write with this seed: the same formula as userland/Programs/crashload.cs.</summary>
    public static byte PatternByte(int seed, int i) => (byte)(seed * 37 + i * 7 + (i >> 9));
}
