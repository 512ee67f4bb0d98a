namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>fsync PATH: changes nothing; once it returns, everything before it must be on the disk.</summary>
public sealed class SyncOperation(TracedOperation traced) : ModelOperation(traced)
{
    protected override IEnumerable<string> Changes(ModelTree tree) => Array.Empty<string>();

    protected override void Apply(ModelTree tree) { }
}
