namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>mkdir PATH: a new empty directory (its "." and ".." fsck checks).</summary>
public sealed class MakeDirectoryOperation(TracedOperation traced, string path) : ModelOperation(traced)
{
    protected override IEnumerable<string> Changes(ModelTree tree) => new[] { path };

    protected override void Apply(ModelTree tree) => tree.Paths[path] = null;
}
