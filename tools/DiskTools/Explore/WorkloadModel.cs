using Abi;
using TeachOS.Tools.DiskTools.Explore.Operations;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Explore;

/// <summary>
/// A workload's operations (from its crash-op lines) run through the model in order, and what the
/// model says about a crash: given the operations that had returned and the one running, is the
/// image what it may be? Its verdict covers three things: every path a returned operation changed
/// (and no later operation touched) is as after it; the running one is fully applied or fully
/// absent; and the workload's directory holds no other names than the model's after the returned
/// operations, or after the running one too.
/// </summary>
public sealed class WorkloadModel
{
    private readonly List<HashSet<string>> pathsAfter = new();   // [k]: the model's paths after k operations

    public WorkloadModel(IReadOnlyList<TracedOperation> traced)
    {
        if (traced.Count == 0) throw new InvalidDataException("the log holds no crash-op lines: not a crashload run?");
        var tree = new ModelTree();
        pathsAfter.Add(new HashSet<string>());
        foreach (TracedOperation operation in traced)
        {
            if (operation.Result < 0)
                throw new InvalidDataException($"op {operation.Number} ({operation.Description}) failed with {operation.Result}: the workload must succeed to be explored");
            ModelOperation model = Build(operation);
            model.Record(tree);
            Operations.Add(model);
            pathsAfter.Add(tree.Paths.Keys.ToHashSet());
        }
        Root = traced[0].Words is ["mkdir", string root] ? root
            : throw new InvalidDataException("a workload's first operation makes its directory");
    }

    public List<ModelOperation> Operations { get; } = new();

    /// <summary>The workload's directory (its first operation makes it); nothing else on the disk is its business.</summary>
    public string Root { get; }

    public static ModelOperation Build(TracedOperation traced) => traced.Words switch
    {
        ["mkdir", var path] => new MakeDirectoryOperation(traced, path),
        ["rmdir", var path] => new RemoveDirectoryOperation(traced, path),
        ["create", var path] => new CreateOperation(traced, path),
        ["write", var path, var offset, var length, var seed] => new WriteOperation(traced, path, long.Parse(offset), int.Parse(length), int.Parse(seed)),
        ["append", var path, var length, var seed] => new WriteOperation(traced, path, null, int.Parse(length), int.Parse(seed)),
        ["truncate", var path, var length] => new TruncateOperation(traced, path, int.Parse(length)),
        ["fsync", _] => new SyncOperation(traced),
        ["unlink", var path] => new UnlinkOperation(traced, path),
        ["link", var from, var to] => new LinkOperation(traced, from, to),
        ["rename", var from, var to] => new RenameOperation(traced, from, to),
        _ => throw new InvalidDataException($"op {traced.Number}: unknown operation '{traced.Description}'"),
    };

    /// <summary>
    /// What is wrong with the image when the first <paramref name="returned"/> operations had returned
    /// and, with <paramref name="running"/>, the next one had started; null when nothing is.
    /// </summary>
    public string? Complaint(FileSystemImage image, int returned, bool running)
    {
        int end = returned + (running && returned < Operations.Count ? 1 : 0);
        // The last operation (of those that may have happened) to change each path speaks for it.
        var lastChange = new Dictionary<string, int>();
        for (int i = 0; i < end; i++)
            foreach (string path in Operations[i].After.Keys) lastChange[path] = i;

        for (int i = 0; i < returned; i++)
        {
            int index = i;
            if (Operations[i].WhyNotApplied(image, path => lastChange[path] == index) is string why)
                return $"{Operations[i]} returned before the crash, but {why}";
        }
        if (end > returned)
        {
            ModelOperation current = Operations[returned];
            if (!current.IsFullyApplied(image) && !current.IsFullyAbsent(image))
                return $"{current} is half done: {current.WhyNotApplied(image, _ => true)}, yet {current.WhyNotAbsent(image)}";
        }

        HashSet<string> found = NamesOnImage(image);
        if (found.SetEquals(pathsAfter[returned]) || found.SetEquals(pathsAfter[end])) return null;
        string stray = found.Except(pathsAfter[end]).Concat(pathsAfter[returned].Except(found)).First();
        return found.Contains(stray) ? $"{stray} exists, but no operation made it" : $"{stray} is missing";
    }

    /// <summary>The workload's directory and every name under it on the image, as the workload names them.</summary>
    public HashSet<string> NamesOnImage(FileSystemImage image)
    {
        var names = new HashSet<string>();
        uint? root = image.Lookup(ModelOperation.OnImage(Root));
        if (root != null) Walk(image, root.Value, Root, names, depth: 0);
        return names;
    }

    private static void Walk(FileSystemImage image, uint inode, string path, HashSet<string> names, int depth)
    {
        if (!names.Add(path) || depth > 32) return;          // a loop is fsck's to report
        if (image.ReadInode(inode).Type != DiskInodeType.Directory) return;
        foreach (DirectoryEntry entry in image.ReadDirectory(inode))
            if (entry.Name != "." && entry.Name != ".." && entry.Inode < image.Superblock.InodeCount)
                Walk(image, entry.Inode, path + "/" + entry.Name, names, depth + 1);
    }
}
