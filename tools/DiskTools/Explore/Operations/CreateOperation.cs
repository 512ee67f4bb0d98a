namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>create PATH (open with O_CREAT | O_EXCL, then close): a new empty file.</summary>
public sealed class CreateOperation(TracedOperation traced, string path) : ModelOperation(traced)
{
    protected override IEnumerable<string> Changes(ModelTree tree) => new[] { path };

    protected override void Apply(ModelTree tree) => tree.Paths[path] = new ModelFile();
}
