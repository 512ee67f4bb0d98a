using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>link FROM TO: TO becomes a second name of FROM's file: the same inode, not a copy.</summary>
public sealed class LinkOperation(TracedOperation traced, string from, string to) : ModelOperation(traced)
{
    protected override IEnumerable<string> Changes(ModelTree tree) => new[] { to };

    protected override void Apply(ModelTree tree) => tree.Paths[to] = tree.FileAt(from);

    public override string? WhyNotApplied(FileSystemImage image, Func<string, bool> onPath)
    {
        string? difference = base.WhyNotApplied(image, onPath);
        if (difference != null || !onPath(to)) return difference;
        uint? source = image.Lookup(OnImage(from)), link = image.Lookup(OnImage(to));
        return source == null || source == link ? null : $"{to} is inode {link}, not {from}'s inode {source}";
    }
}
