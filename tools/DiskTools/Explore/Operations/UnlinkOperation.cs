namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>unlink PATH: the name goes; the file's other names keep its bytes (fsck checks the link count and, for the last name, that the inode and blocks are free).</summary>
public sealed class UnlinkOperation(TracedOperation traced, string path) : ModelOperation(traced)
{
    protected override IEnumerable<string> Changes(ModelTree tree) => new[] { path };

    protected override void Apply(ModelTree tree) => tree.Paths.Remove(path);
}
