using Abi;
using TeachOS.Tools.DiskTools;
using TeachOS.Tools.DiskTools.Check;
using TeachOS.Tools.DiskTools.Image;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>mkfs's --owner PATH=UID:GID: the inode at PATH gets those ids, every other stays root's; what it refuses.</summary>
public class MkfsOwnerTests
{
    private static (int Status, string Output, string Error) Mkfs(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int status = MkfsCommand.Run(args, output, error);
        return (status, output.ToString(), error.ToString());
    }

    private static ScratchTree StudentTree()
    {
        var tree = new ScratchTree();
        tree.Write("README.txt", "the disk\n");
        tree.Write("home/student/README.txt", "files here survive a reboot\n");
        tree.MakeDirectory("home/guest");
        return tree;
    }

    private static (uint Uid, uint Gid, ushort Mode) OwnerOf(FileSystemImage image, string path)
    {
        DiskInode inode = image.ReadInode(image.Lookup(path) ?? throw new InvalidOperationException($"{path} is not in the image"));
        return (inode.Uid, inode.Gid, inode.Mode);
    }

    [Fact]
    public void TheOwnerOptionSetsThatInodesUidAndGid_EveryOtherStaysRoots_AndTheImageIsClean()
    {
        using var tree = StudentTree();
        var (status, _, error) = Mkfs(tree.Image, "2", tree.Tree,
                                      "--owner", "home/student=1000:1000", "--owner", "home/student/README.txt=1000:100");
        Assert.True(status == 0, error);

        using FileSystemImage image = FileSystemImage.Open(tree.Image);
        Assert.Equal((1000u, 1000u, (ushort)0b111_101_101), OwnerOf(image, "home/student"));      // 0755, the student's
        Assert.Equal((1000u, 100u, (ushort)0b110_100_100), OwnerOf(image, "home/student/README.txt"));
        Assert.Equal((0u, 0u), (OwnerOf(image, "home").Uid, OwnerOf(image, "home").Gid));
        Assert.Equal((0u, 0u), (OwnerOf(image, "home/guest").Uid, OwnerOf(image, "home/guest").Gid));
        Assert.Equal((0u, 0u), (OwnerOf(image, "README.txt").Uid, OwnerOf(image, "README.txt").Gid));
        DiskInode root = image.ReadInode(DiskFormat.RootInode);
        Assert.Equal((0u, 0u), (root.Uid, root.Gid));

        CheckReport report = Checker.Check(image);
        Assert.True(report.IsClean, string.Join("\n", report.Findings));
        Assert.Contains(TreeLister.List(image), line => line.EndsWith("  /home/student") && line.Contains(" 1000   1000 "));
    }

    [Fact]
    public void TheRootAndTheLargestIdsMayBeGiven()
    {
        using var tree = StudentTree();
        Assert.Equal(0, Mkfs(tree.Image, "2", tree.Tree, "--owner", "/=65535:65535").Status);
        using FileSystemImage image = FileSystemImage.Open(tree.Image);
        DiskInode root = image.ReadInode(DiskFormat.RootInode);
        Assert.Equal((65535u, 65535u), (root.Uid, root.Gid));
    }

    [Fact]
    public void APathNotInTheTreeIsRefusedAndNoImageIsWritten()
    {
        using var tree = StudentTree();
        var (status, _, error) = Mkfs(tree.Image, "2", tree.Tree, "--owner", "home/studnet=1000:1000");
        Assert.Equal(1, status);
        Assert.Contains("--owner home/studnet: ", error);
        Assert.Contains("has no /home/studnet", error);
        Assert.False(File.Exists(tree.Image));

        // A file is not a directory: nothing is below it.
        Assert.Equal(1, Mkfs(tree.Image, "2", tree.Tree, "--owner", "README.txt/x=1000:1000").Status);
        Assert.Equal(1, Mkfs(tree.Image, "2", tree.Tree, "--owner", "home/student/..=1000:1000").Status);
    }

    [Theory]
    [InlineData("home/student=65536:1000", "the user id 65536 is over 65535")]
    [InlineData("home/student=1000:70000", "the group id 70000 is over 65535")]
    [InlineData("home/student=99999999999:1", "the user id '99999999999' is not a number")]
    [InlineData("home/student=-1:1000", "the user id '-1' is not a number")]
    [InlineData("home/student=1000:", "the group id '' is not a number")]
    [InlineData("home/student=student:1000", "the user id 'student' is not a number")]
    [InlineData("home/student=1000", "give PATH=UID:GID")]
    [InlineData("home/student=1:2:3", "give PATH=UID:GID")]
    [InlineData("home/student", "give PATH=UID:GID")]
    [InlineData("=1000:1000", "give PATH=UID:GID")]
    public void ABadOwnerIsAUsageErrorThatSaysWhatIsWrong(string option, string message)
    {
        using var tree = StudentTree();
        var (status, _, error) = Mkfs(tree.Image, "2", tree.Tree, "--owner", option);
        Assert.Equal(2, status);
        Assert.Contains($"mkfs: --owner {option}: {message}", error);
        Assert.Contains("usage:", error);
        Assert.False(File.Exists(tree.Image));
    }

    [Fact]
    public void ThePathGivenTwiceOrNoValueIsAUsageError()
    {
        using var tree = StudentTree();
        var (status, _, error) = Mkfs(tree.Image, "2", tree.Tree, "--owner", "home/student=1000:1000", "--owner", "/home/student/=0:0");
        Assert.Equal(2, status);
        Assert.Contains("/home/student is given an owner twice", error);
        Assert.Equal(2, Mkfs(tree.Image, "2", tree.Tree, "--owner").Status);
    }
}
