using Abi;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Explore.Operations;

/// <summary>
/// One operation of a workload in the model: it knows which paths it changes and how
/// (<see cref="Apply"/>), and records what they were before and after it, so that on any image it
/// can say whether it is fully applied (every path it changes is as after it) or fully absent (every
/// one as before it). An operation that returned before a crash must be fully applied; the one
/// running at the crash, one or the other, never half.
/// </summary>
public abstract class ModelOperation
{
    protected ModelOperation(TracedOperation traced) => Traced = traced;

    public TracedOperation Traced { get; }
    public int Number => Traced.Number;

    /// <summary>Path to its state before and after the operation (null: missing).</summary>
    public Dictionary<string, PathState?> Before { get; } = new();
    public Dictionary<string, PathState?> After { get; } = new();

    /// <summary>The paths the operation changes, in the tree before it.</summary>
    protected abstract IEnumerable<string> Changes(ModelTree tree);

    /// <summary>Changes the model as the kernel should change the disk.</summary>
    protected abstract void Apply(ModelTree tree);

    /// <summary>Applies the operation to the model and records the paths it changes before and after.</summary>
    public void Record(ModelTree tree)
    {
        var paths = Changes(tree).Distinct().ToList();
        foreach (string path in paths) Before[path] = tree.StateOf(path);
        Apply(tree);
        foreach (string path in paths) After[path] = tree.StateOf(path);
    }

    public bool IsFullyApplied(FileSystemImage image) => WhyNotApplied(image, _ => true) == null;

    public bool IsFullyAbsent(FileSystemImage image) => WhyNotAbsent(image) == null;

    /// <summary>How the image differs from the state before the operation, or null when it does not.</summary>
    public string? WhyNotAbsent(FileSystemImage image) => FirstDifference(image, Before, _ => true);

    /// <summary>Why the image does not hold this operation's result on the chosen paths, or null when it does.</summary>
    public virtual string? WhyNotApplied(FileSystemImage image, Func<string, bool> onPath) => FirstDifference(image, After, onPath);

    public override string ToString() => $"op {Number} ({Traced.Description})";

    protected static string? FirstDifference(FileSystemImage image, Dictionary<string, PathState?> expected, Func<string, bool> onPath)
    {
        foreach ((string path, PathState? state) in expected)
            if (onPath(path) && Difference(image, path, state) is string difference) return difference;
        return null;
    }

    /// <summary>The workload's paths start with /disk, where the kernel mounts the disk; the image's at its root.</summary>
    public static string OnImage(string path) => path.StartsWith("/disk/", StringComparison.Ordinal) ? path.Substring(5) : path;

    /// <summary>How the path on the image differs from the expected state, or null.</summary>
    public static string? Difference(FileSystemImage image, string path, PathState? expected)
    {
        uint? inode = image.Lookup(OnImage(path));
        if (expected == null) return inode == null ? null : $"{path} exists";
        if (inode == null) return $"{path} is missing";
        DiskInode node = image.ReadInode(inode.Value);
        if (expected.IsDirectory)
            return node.Type == DiskInodeType.Directory ? null : $"{path} is not a directory";
        if (node.Type != DiskInodeType.File) return $"{path} is not a file";
        byte[] bytes = image.ReadContents(node);
        byte[] want = expected.Bytes!;
        if (bytes.Length != want.Length) return $"{path} holds {bytes.Length} bytes, not {want.Length}";
        int at = bytes.AsSpan().CommonPrefixLength(want);
        return at == want.Length ? null : $"{path}'s byte {at} is {bytes[at]}, not {want[at]}";
    }
}
