using Abi;
using TeachOS.Tools.DiskTools;
using TeachOS.Tools.DiskTools.Image;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>What mkfs must refuse, with a message that says why (and writes no image).</summary>
public class MkfsRefusalTests
{
    private static (int Status, string Output, string Error) Mkfs(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int status = MkfsCommand.Run(args, output, error);
        return (status, output.ToString(), error.ToString());
    }

    [Fact]
    public void ANameOf61BytesIsRefused_60IsFine()
    {
        using var tree = new ScratchTree();
        tree.Write(new string('n', 60), "fits\n");
        Assert.Equal(0, Mkfs(tree.Image, "2", tree.Tree).Status);

        tree.Write("dir/" + new string('x', 61), "too long\n");
        var (status, _, error) = Mkfs(tree.Image, "2", tree.Tree);
        Assert.Equal(1, status);
        Assert.Contains("the name is 61 bytes long; the limit is 60", error);
    }

    [Fact]
    public void AFileOneByteOverTheLargestIsRefused()
    {
        using var tree = new ScratchTree();
        using (var file = new FileStream(Path.Combine(tree.Tree, "huge"), FileMode.Create))
            file.SetLength(DiskFormat.MaximumFileSize + 1);
        var (status, _, error) = Mkfs(tree.Image, "100", tree.Tree);
        Assert.Equal(1, status);
        Assert.Contains($"{DiskFormat.MaximumFileSize + 1} bytes; the largest file is {DiskFormat.MaximumFileSize} bytes", error);
        Assert.False(File.Exists(tree.Image));
    }

    [Fact]
    public void AnImageTooSmallSaysHowMuchIsNeeded_AndThatSizeWorks()
    {
        using var tree = new ScratchTree();
        tree.Write("two-mib", new byte[2 * 1024 * 1024]);
        var (status, _, error) = Mkfs(tree.Image, "1", tree.Tree);
        Assert.Equal(1, status);
        Assert.Contains("the image is too small: the directory needs 2058 data blocks", error);
        var enough = System.Text.RegularExpressions.Regex.Match(error, @"(\d+) MiB is enough");
        Assert.True(enough.Success, error);
        Assert.Equal("3", enough.Groups[1].Value);
        Assert.Equal(0, Mkfs(tree.Image, enough.Groups[1].Value, tree.Tree).Status);
    }

    [Fact]
    public void TooFewInodesAreRefused()
    {
        using var tree = ScratchTree.Small();
        var (status, _, error) = Mkfs(tree.Image, "2", tree.Tree, "--inodes", "7");
        Assert.Equal(1, status);
        Assert.Contains("7 inodes are too few", error);
        Assert.Contains("--inodes 8 at least", error);
        Assert.Equal(0, Mkfs(tree.Image, "2", tree.Tree, "--inodes", "8").Status);
        using FileSystemImage image = FileSystemImage.Open(tree.Image);
        Assert.Equal(8u, image.Superblock.InodeCount);
    }

    [Fact]
    public void BadArgumentsPrintTheUsage()
    {
        Assert.Equal(2, Mkfs("only-an-image").Status);
        Assert.Contains("usage:", Mkfs("img", "many", "dir").Error);
    }

    [Fact]
    public void TheFiguresNameEveryRegion()
    {
        using var tree = ScratchTree.Small();
        var (status, output, _) = Mkfs(tree.Image, "128", tree.Tree);
        Assert.Equal(0, status);
        Assert.Contains("131072 blocks of 1024 bytes (128 MiB)", output);
        Assert.Matches(@"log +2 \.\. 257 +256 blocks", output);
        Assert.Contains("4096 inodes of 128 bytes", output);
        Assert.Contains("in use: 7 inodes", output);
    }
}
