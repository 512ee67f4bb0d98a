namespace TeachOS.Tools.DiskTools.Explore;

/// <summary>What one path should be: missing, a directory, or a file with these bytes (File is shared by a file's names).</summary>
public sealed record PathState(bool IsDirectory, byte[]? Bytes)
{
    public static readonly PathState Directory = new(true, null);
    public static PathState OfFile(ModelFile file) => new(false, file.Bytes.ToArray());

    public override string ToString() => IsDirectory ? "a directory" : $"a file of {Bytes!.Length} bytes";
}

/// <summary>A file of the model: one object however many names it has (hard links share it).</summary>
public sealed class ModelFile
{
    public List<byte> Bytes { get; } = new();
}

/// <summary>
/// The workload's file tree as it should be after some of its operations: each path (as the
/// workload names it, under /disk) is a directory (null) or a file. The operations
/// (Explore/Operations) change it as the kernel should have changed the disk.
/// </summary>
public sealed class ModelTree
{
    public Dictionary<string, ModelFile?> Paths { get; } = new();

    public PathState? StateOf(string path) =>
        !Paths.TryGetValue(path, out ModelFile? file) ? null : file == null ? PathState.Directory : PathState.OfFile(file);

    public ModelFile FileAt(string path) =>
        Paths.TryGetValue(path, out ModelFile? file) && file != null ? file : throw new InvalidDataException($"the model has no file {path}");

    /// <summary>Every name of the file at path (itself included).</summary>
    public IEnumerable<string> NamesOf(ModelFile file) => Paths.Where(p => p.Value == file).Select(p => p.Key).ToList();

    /// <summary>A path and everything under it (a directory's subtree).</summary>
    public IEnumerable<string> Subtree(string path) =>
        Paths.Keys.Where(p => p == path || p.StartsWith(path + "/", StringComparison.Ordinal)).ToList();
}
