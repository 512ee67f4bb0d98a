namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>truncate PATH LENGTH (ftruncate): the file cut to LENGTH bytes, or grown with zeros.</summary>
public sealed class TruncateOperation(TracedOperation traced, string path, int length) : ModelOperation(traced)
{
    protected override IEnumerable<string> Changes(ModelTree tree) => tree.NamesOf(tree.FileAt(path));

    protected override void Apply(ModelTree tree)
    {
        List<byte> bytes = tree.FileAt(path).Bytes;
        if (bytes.Count > length) bytes.RemoveRange(length, bytes.Count - length);
        while (bytes.Count < length) bytes.Add(0);
    }
}
