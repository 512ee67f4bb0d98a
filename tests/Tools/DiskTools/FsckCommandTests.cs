using System.Text;
using Abi;
using TeachOS.Tools.DiskTools;
using TeachOS.Tools.DiskTools.Image;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>The fsck command as a person runs it: its lines, its summary, its exit status, --extract.</summary>
public class FsckCommandTests
{
    [Fact]
    public void TheFsckCommandPrintsTheFindingsAndASummary_ExitingOneWhenNotClean()
    {
        using var tree = ScratchTree.Small();
        tree.Mkfs();
        var output = new StringWriter();
        Assert.Equal(0, FsckCommand.Run(new[] { tree.Image }, output, new StringWriter(), () => new MemoryStream()));
        Assert.Contains(": clean; 7 inodes and", output.ToString());

        using (FileSystemImage image = FileSystemImage.Open(tree.Image, writable: true))
            Planting.SetBitmapBit(image, image.Superblock.Size - 1, used: true);
        output = new StringWriter();
        Assert.Equal(1, FsckCommand.Run(new[] { tree.Image }, output, new StringWriter(), () => new MemoryStream()));
        Assert.Contains("leaked", output.ToString());
        Assert.Contains(": 1 problem;", output.ToString());

        var extracted = new MemoryStream();
        Assert.Equal(0, FsckCommand.Run(new[] { tree.Image, "--extract", "/a/b/deep.txt" }, new StringWriter(), new StringWriter(), () => extracted));
        Assert.Equal("at the bottom\n", Encoding.UTF8.GetString(extracted.ToArray()));
    }

    [Fact]
    public void OnAnImageThatIsNotAFileSystemFsckSaysSoAndListsNothing()
    {
        using var tree = new ScratchTree();
        var junk = new byte[8 * DiskFormat.BlockSize];
        new Random(1).NextBytes(junk);
        File.WriteAllBytes(tree.Image, junk);

        var output = new StringWriter();
        Assert.Equal(1, FsckCommand.Run(new[] { tree.Image }, output, new StringWriter(), () => new MemoryStream()));
        Assert.Contains("superblock: bad magic", output.ToString());
        Assert.Contains("the superblock does not add up, so nothing else was checked", output.ToString());

        var error = new StringWriter();
        output = new StringWriter();
        Assert.Equal(1, FsckCommand.Run(new[] { tree.Image, "--list" }, output, error, () => new MemoryStream()));
        Assert.Equal("", output.ToString());
        Assert.Contains("bad magic", error.ToString());
    }
}
