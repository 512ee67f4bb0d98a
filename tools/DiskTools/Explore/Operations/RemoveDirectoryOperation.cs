namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>rmdir PATH: an empty directory goes.</summary>
public sealed class RemoveDirectoryOperation(TracedOperation traced, string path) : ModelOperation(traced)
{
    protected override IEnumerable<string> Changes(ModelTree tree) => new[] { path };

    protected override void Apply(ModelTree tree) => tree.Paths.Remove(path);
}
