namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>
/// rename FROM TO: exactly one of the two names holds the thing (a file or a directory with all under
/// it); a file TO named before is replaced.
/// </summary>
public sealed class RenameOperation(TracedOperation traced, string from, string to) : ModelOperation(traced)
{
    protected override IEnumerable<string> Changes(ModelTree tree) =>
        tree.Subtree(from).Concat(tree.Subtree(from).Select(p => to + p.Substring(from.Length))).Concat(tree.Subtree(to));

    protected override void Apply(ModelTree tree)
    {
        foreach (string old in tree.Subtree(to)) tree.Paths.Remove(old);
        foreach (string path in tree.Subtree(from))
        {
            ModelFile? file = tree.Paths[path];
            tree.Paths.Remove(path);
            tree.Paths[to + path.Substring(from.Length)] = file;
        }
    }
}
