using Abi;
using Fs;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>The permission checks of kernel/Fs/Permissions/FilePermissions.cs, one rule a test.</summary>
public class FilePermissionsTests
{
    private const int Read = FilePermissions.Read, Write = FilePermissions.Write, Execute = FilePermissions.Execute;

    private static Credentials User(int uid, int gid = 100, params int[] groups)
    {
        var who = new Credentials();
        if (groups.Length > 0) Assert.Equal(0, who.SetGroups(groups));
        Assert.Equal(0, who.SetGroupIds(gid, gid, gid));
        Assert.Equal(0, who.SetUserIds(uid, uid, uid));
        return who;
    }

    private static NodeAttributes Node(int mode, int uid = 0, int gid = 0) => new NodeAttributes(mode, uid, gid);

    [Theory]
    [InlineData(0x180, 0, 0, Read, -Errno.EACCES)]            // 0600 root's: others may not read
    [InlineData(0x1A4, 0, 0, Read, 0)]                        // 0644: others read
    [InlineData(0x1A4, 0, 0, Write, -Errno.EACCES)]           // but do not write
    [InlineData(0x1A0, 0, 50, Read, 0)]                       // 0640 of group 50: a member reads
    [InlineData(0x1A0, 0, 60, Read, -Errno.EACCES)]           // not a member: no
    [InlineData(0x007, 1000, 0, Read, -Errno.EACCES)]         // 0007 own file: the owner class applies, not "others"
    [InlineData(0x1C0, 1000, 0, Read | Write | Execute, 0)]   // 0700 own file
    public void OneClassOfBitsApplies(int mode, int owner, int group, int want, int expected)
    {
        Assert.Equal(expected, FilePermissions.Check(User(1000, 100, 50), Node(mode, owner, group), isDirectory: false, want));
    }

    [Fact]
    public void RootPassesReadAndWriteButNotExecuteWithoutAnXBit()
    {
        var root = new Credentials();
        Assert.Equal(0, FilePermissions.Check(root, Node(0), isDirectory: false, Read | Write));
        Assert.Equal(-Errno.EACCES, FilePermissions.Check(root, Node(0x1A4), isDirectory: false, Execute));
        Assert.Equal(0, FilePermissions.Check(root, Node(0x001), isDirectory: false, Execute));
        Assert.Equal(0, FilePermissions.Check(root, Node(0), isDirectory: true, Execute));   // directories: always searchable
    }

    [Fact]
    public void TheStickyBitLetsOnlyOwnersRemove()
    {
        Credentials alice = User(1000), bob = User(1001);
        NodeAttributes tmp = Node(0x3FF), file = Node(0x1B6, 1000);
        Assert.Equal(0, FilePermissions.CheckChangeEntries(bob, tmp));
        Assert.Equal(-Errno.EPERM, FilePermissions.CheckSticky(bob, tmp, file));
        Assert.Equal(0, FilePermissions.CheckSticky(alice, tmp, file));
        Assert.Equal(0, FilePermissions.CheckSticky(bob, Node(0x3FF, 1001), file));    // the directory's owner
        Assert.Equal(0, FilePermissions.CheckSticky(new Credentials(), tmp, file));     // root
        Assert.Equal(0, FilePermissions.CheckSticky(bob, Node(0x1FF), file));           // 0777: no sticky bit
    }

    [Fact]
    public void NewNodesTakeTheCallersIdsLessTheUmask()
    {
        Credentials alice = User(1000, 100);
        NodeAttributes file = FilePermissions.NewNode(alice, Node(0x3FF), FileKind.File);
        Assert.Equal((0x1A4, 1000, 100), (file.Mode, file.UserId, file.GroupId));       // 0666 & ~022
        NodeAttributes shared = Node(0x1FF | FileMode.SetGroupId, 0, 50);
        Assert.Equal(50, FilePermissions.NewNode(alice, shared, FileKind.File).GroupId);
        NodeAttributes directory = FilePermissions.NewNode(alice, shared, FileKind.Directory);
        Assert.Equal(0x1ED | FileMode.SetGroupId, directory.Mode);                      // 0777 & ~022, setgid passed on
        Assert.Equal(FileMode.Permissions, FilePermissions.NewNode(alice, Node(0x1FF), FileKind.SymbolicLink).Mode);
    }

    [Fact]
    public void ChmodIsTheOwnersAndChownIsRoots()
    {
        Credentials alice = User(1000, 100, 50);
        Assert.Equal(-Errno.EPERM, FilePermissions.ChangeMode(alice, Node(0x1A4, 0), 0x1FF, out _));
        Assert.Equal(0, FilePermissions.ChangeMode(alice, Node(0x1A4, 1000, 60), 0x1ED | FileMode.SetGroupId, out NodeAttributes changed));
        Assert.Equal(0x1ED, changed.Mode);                                               // not in group 60: setgid dropped
        Assert.Equal(-Errno.EPERM, FilePermissions.ChangeOwner(alice, Node(0x1A4, 1000), 1001, -1, out _));
        Assert.Equal(-Errno.EPERM, FilePermissions.ChangeOwner(alice, Node(0x1A4, 1000), -1, 60, out _));
        Assert.Equal(0, FilePermissions.ChangeOwner(alice, Node(0x9ED, 1000, 100), -1, 50, out changed));
        Assert.Equal((0x1ED, 1000, 50), (changed.Mode, changed.UserId, changed.GroupId)); // setuid cleared
        Assert.Equal(-Errno.EINVAL, FilePermissions.ChangeOwner(new Credentials(), Node(0), UserIds.MaximumId + 1, -1, out _));
        Assert.Equal(0, FilePermissions.ChangeOwner(new Credentials(), Node(0x1A4), 1000, 1000, out changed));
        Assert.Equal(1000, changed.UserId);
    }

    [Theory]
    [InlineData(OpenFlags.ReadOnly, Read)]
    [InlineData(OpenFlags.WriteOnly, Write)]
    [InlineData(OpenFlags.ReadWrite, Read | Write)]
    [InlineData(OpenFlags.ReadOnly | OpenFlags.Truncate, Read | Write)]
    public void OpenAsksForWhatItsFlagsSay(int flags, int want) => Assert.Equal(want, FilePermissions.ForOpen(flags));
}
