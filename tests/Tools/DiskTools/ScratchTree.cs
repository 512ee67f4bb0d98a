using System.Text;
using TeachOS.Tools.DiskTools.Mkfs;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>A host directory and an image path under a temporary folder of their own, deleted afterwards.</summary>
public sealed class ScratchTree : IDisposable
{
    public ScratchTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "disktools-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "tree"));
    }

    public string Root { get; }
    public string Tree => Path.Combine(Root, "tree");
    public string Image => Path.Combine(Root, "disk.img");

    public string Write(string path, string text) => Write(path, Encoding.UTF8.GetBytes(text));

    public string Write(string path, byte[] bytes)
    {
        string full = Path.Combine(Tree, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void MakeDirectory(string path) => Directory.CreateDirectory(Path.Combine(Tree, path));

    public void Symlink(string path, string target) => File.CreateSymbolicLink(Path.Combine(Tree, path), target);

    /// <summary>The small tree most tests plant their corruption in: /a/b/deep.txt, /a/one.txt, /two.txt, /link.</summary>
    public static ScratchTree Small()
    {
        var tree = new ScratchTree();
        tree.Write("a/b/deep.txt", "at the bottom\n");
        tree.Write("a/one.txt", "one\n");
        tree.Write("two.txt", new string('2', 3000));
        tree.Symlink("link", "a/one.txt");
        return tree;
    }

    /// <summary>Runs mkfs (the library, as the command does) and returns what it printed.</summary>
    public MkfsResult Mkfs(uint sizeInMiB = 2, uint? inodes = null)
    {
        var problems = new List<string>();
        HostDirectory root = HostTree.Read(Tree, problems);
        Assert.Empty(problems);
        return ImageBuilder.Build(Image, sizeInMiB, root, inodes);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
