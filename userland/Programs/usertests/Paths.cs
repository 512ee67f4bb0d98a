using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the file tree (kernel/Fs/Vfs/, kernel/Syscalls/PathSyscalls.cs): mkdir and
/// rmdir, chdir and getcwd, hard links and their counts, unlink of an open file, rename, symbolic
/// links (loops, dangling links, O_NOFOLLOW), readdir of /bin. Each test works in a directory of its own and removes
/// it. Seeks, truncation, open's flags, hostile pointers and concurrency are in usertests/PathErrors.cs.
/// </summary>
public static unsafe partial class UserTests
{
    // Where the scratch directories go: "" (the RAM file system) or "/disk" (disk-paths runs these
    // same tests on the disk's file system: usertests/DiskFiles.cs).
    private static string s_scratchBase = "";

    // A fresh, empty directory for one test (removed first if an earlier run left it behind).
    private static string Scratch(string name)
    {
        string path = s_scratchBase + "/ut-" + name;
        Capture("/bin/rm", new[] { "rm", "-r", path }, out int unused);
        Expect(Sys.MakeDirectory(path), 0, "mkdir " + path);
        return path;
    }

    private static void Touch(string path, string text)
    {
        Expect(Files.WriteAllText(path, text), 0, "create " + path);
    }

    private static FileStatus Stat(string path, bool follow = true)
    {
        FileStatus status;
        long result = follow ? Sys.PathStatus(path, out status) : Sys.LinkStatus(path, out status);
        if (result < 0) status.Kind = (int)result;
        return status;
    }

    private static void Directories()
    {
        string root = Scratch("dirs");
        Expect(Sys.MakeDirectory(root + "/a"), 0, "mkdir a");
        Expect(Stat(root + "/a").Kind, 2, "a is a directory");
        Expect(Sys.MakeDirectory(root + "/a"), -Errno.EEXIST, "mkdir of an existing name");
        Expect(Sys.MakeDirectory(root + "/missing/b"), -Errno.ENOENT, "mkdir under a missing directory");
        Touch(root + "/file", "x");
        Expect(Sys.MakeDirectory(root + "/file/b"), -Errno.ENOTDIR, "mkdir under a file");
        Expect(Sys.MakeDirectory(root + "/" + new string('n', 61)), -Errno.ENAMETOOLONG, "mkdir of a 61-character name");
        Expect(Sys.MakeDirectory(root + "/" + new string('n', 60)), 0, "mkdir of a 60-character name");
        Expect(Sys.MakeDirectory(""), -Errno.ENOENT, "mkdir of the empty path");
        Expect(Sys.MakeDirectory(root + "/a/"), -Errno.EEXIST, "mkdir a/ (trailing slash) of an existing directory");
        Expect(Sys.MakeDirectory(root + "/a/c"), 0, "mkdir a/c");
        Expect(Stat(root + "/a").Links, 3, "a's link count: its name, its '.', c's '..'");
        Expect(Sys.RemoveDirectory(root + "/a"), -Errno.ENOTEMPTY, "rmdir of a non-empty directory");
        Expect(Sys.Unlink(root + "/a"), -Errno.EISDIR, "unlink of a directory");
        Expect(Sys.RemoveDirectory(root + "/file"), -Errno.ENOTDIR, "rmdir of a file");
        Expect(Sys.RemoveDirectory(root + "/nothing"), -Errno.ENOENT, "rmdir of a missing name");
        Expect(Sys.RemoveDirectory(root + "/a/c/."), -Errno.EINVAL, "rmdir of '.'");
        Expect(Sys.RemoveDirectory(root + "/a/c"), 0, "rmdir a/c");
        Expect(Sys.RemoveDirectory(root + "/a"), 0, "rmdir a, empty now");
        Expect(Stat(root + "/a").Kind, -Errno.ENOENT, "a is gone");
        Expect(Sys.RemoveDirectory("/"), -Errno.EBUSY, "rmdir of /");
        Expect(Sys.Unlink(root + "/file/"), -Errno.ENOTDIR, "unlink file/ (a trailing slash on a file)");
        Expect(Sys.Unlink(root + "/file"), 0, "unlink a file");
        Capture("/bin/rm", new[] { "rm", "-r", root }, out int status);
        Expect(status, 0, "rm -r of the test's directory");
        Expect(Stat(root).Kind, -Errno.ENOENT, "rm -r removed it");
    }

    private static void CurrentDirectory()
    {
        string root = Scratch("cwd");
        Expect(Sys.MakeDirectory(root + "/sub"), 0, "mkdir sub");
        Expect(Sys.ChangeDirectory(root + "/sub"), 0, "chdir");
        Expect(Sys.MakeDirectory("inner"), 0, "mkdir with a relative path");
        Touch("inner/file", "relative");
        Expect(Stat(root + "/sub/inner/file").Kind, 1, "the relative paths landed in the current directory");
        Check(Cwd() == root + "/sub", "getcwd names the directory (" + Cwd() + ")");
        Expect(Sys.ChangeDirectory("inner/../.."), 0, "chdir inner/../..");
        Check(Cwd() == root, "getcwd after .. (" + Cwd() + ")");
        Expect(Sys.ChangeDirectory("/.."), 0, "chdir /..");
        Check(Cwd() == "/", "/.. is / (" + Cwd() + ")");
        Expect(Sys.ChangeDirectory(root + "/sub/inner/file"), -Errno.ENOTDIR, "chdir to a file");
        Expect(Sys.ChangeDirectory(root + "/nothing"), -Errno.ENOENT, "chdir to a missing name");
        Check(Cwd() == "/", "a failed chdir changes nothing");

        Expect(Sys.ChangeDirectory(root + "/sub"), 0, "chdir sub again");
        string output = Capture("/bin/pwd", new[] { "pwd" }, out int status);
        Check(status == 0 && output == root + "/sub\n", "a spawned child inherits the directory (pwd said " + output + ")");
        output = Capture((s_scratchBase.Length > 0 ? "../" : "") + "../../bin/pwd", new[] { "pwd" }, out status);
        Check(status == 0 && output == root + "/sub\n", "spawn takes a relative program path");
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(Sys.PathStatus("inner/file", out FileStatus inChild) == 0 && Sys.ChangeDirectory("/") == 0 ? 0 : 1);
        Expect(pid > 0 ? WaitFor(pid) : (int)pid, 0, "a forked child starts in the parent's directory");
        Check(Cwd() == root + "/sub", "the child's chdir leaves the parent's directory alone");

        byte* small = stackalloc byte[8];
        Expect(Sys.GetCurrentDirectory(new Span<byte>(small, 8)), -Errno.ERANGE, "getcwd into a buffer too small");
        int exact = root.Length + 4 + 1;                    // "/sub" and the NUL
        byte* fits = stackalloc byte[exact];
        Expect(Sys.GetCurrentDirectory(new Span<byte>(fits, exact)), exact - 1, "getcwd into a buffer of exactly the length and its NUL");
        Expect(Sys.GetCurrentDirectory(new Span<byte>(fits, exact - 1)), -Errno.ERANGE, "getcwd one byte short");

        // A directory removed while it is the current one: relative lookups fail, nothing breaks.
        Expect(Sys.MakeDirectory("doomed"), 0, "mkdir doomed");
        Expect(Sys.ChangeDirectory("doomed"), 0, "chdir doomed");
        Expect(Sys.RemoveDirectory(root + "/sub/doomed"), 0, "rmdir the current directory");
        Expect(Sys.GetCurrentDirectory(new Span<byte>(fits, exact)), -Errno.ENOENT, "getcwd of a removed directory");
        Expect(Sys.MakeDirectory("new"), -Errno.ENOENT, "mkdir in a removed directory");
        Expect(Sys.ChangeDirectory(".."), -Errno.ENOENT, "a removed directory has no ..");
        Expect(Sys.ChangeDirectory("/"), 0, "chdir / to finish");
        Capture("/bin/rm", new[] { "rm", "-r", root }, out status);
    }

    private static string Cwd()
    {
        byte* buffer = stackalloc byte[256];
        long length = Sys.GetCurrentDirectory(new Span<byte>(buffer, 256));
        return length < 0 ? Sys.ErrorName(length) : string.FromAscii(buffer, (int)length);
    }

    private static void HardLinks()
    {
        string root = Scratch("links");
        Touch(root + "/a", "shared");
        Expect(Sys.Link(root + "/a", root + "/b"), 0, "link a b");
        Expect(Stat(root + "/a").Links, 2, "two names: link count 2");
        Check(Stat(root + "/a").Inode == Stat(root + "/b").Inode && Stat(root + "/a").Inode != 0, "both names are one inode");
        Check(Files.ReadAllText(root + "/b", out long unused) == "shared", "the new name reads the same bytes");
        Expect(Sys.Link(root + "/a", root + "/b"), -Errno.EEXIST, "link onto an existing name");
        Expect(Sys.Link(root + "/missing", root + "/c"), -Errno.ENOENT, "link of a missing file");
        Expect(Sys.Link(root, root + "/d"), -Errno.EPERM, "link of a directory");
        Expect(Sys.Link(root + "/a", root + "/nodir/c"), -Errno.ENOENT, "link into a missing directory");
        Expect(Sys.Unlink(root + "/a"), 0, "unlink a");
        Expect(Stat(root + "/b").Links, 1, "one name left");
        Check(Files.ReadAllText(root + "/b", out unused) == "shared", "the other name still reads the file");
        Expect(Sys.Unlink(root + "/a"), -Errno.ENOENT, "unlink of a removed name");

        // The most names a file may have, then EMLINK (on the RAM file system: the disk allows
        // DiskFormat.MaximumLinks, 32,000, too many to make here).
        if (s_scratchBase.Length == 0)
        {
            int made = 1;
            while (made < 300 && Sys.Link(root + "/b", root + "/n" + made) == 0) made++;
            Expect(made, 255, "names a file may have (RamNode.MaximumLinks)");
            Expect(Sys.Link(root + "/b", root + "/one-more"), -Errno.EMLINK, "one more link");
        }
        Capture("/bin/rm", new[] { "rm", "-r", root }, out int status);
        Expect(status, 0, "rm -r of 255 names");
    }

    private static void UnlinkOpenFile()
    {
        string root = Scratch("unlink-open");
        string path = root + "/open";
        long fd = Sys.Open(path, OpenFlags.ReadWrite | OpenFlags.Create);
        Expect(Sys.Write((int)fd, Bytes("still here")), 10, "write");
        Expect(Sys.Unlink(path), 0, "unlink while open");
        Expect(Stat(path).Kind, -Errno.ENOENT, "the name is gone");
        Expect(Sys.FileStatus((int)fd, out FileStatus status), 0, "fstat of the unlinked file");
        Expect(status.Links, 0, "no names left");
        Expect(Sys.Seek((int)fd, 0, SeekFrom.Start), 0, "seek to its start");
        byte* buffer = stackalloc byte[16];
        Expect(Sys.Read((int)fd, new Span<byte>(buffer, 16)), 10, "the descriptor still reads it");
        Check(buffer[0] == (byte)'s' && buffer[9] == (byte)'e', "the same bytes");
        Expect(Sys.Write((int)fd, Bytes("!")), 1, "and writes it");
        Expect(Sys.Close((int)fd), 0, "close frees it");
        Expect(Sys.RemoveDirectory(root), 0, "its directory is empty");
    }

    private static void Renames()
    {
        string root = Scratch("rename");
        Touch(root + "/a", "from a");
        Touch(root + "/b", "from b");
        Expect(Sys.Rename(root + "/a", root + "/c"), 0, "rename a c");
        Expect(Stat(root + "/a").Kind, -Errno.ENOENT, "a is gone");
        Check(Files.ReadAllText(root + "/c", out long unused) == "from a", "c has a's bytes");
        Expect(Sys.Rename(root + "/c", root + "/b"), 0, "rename c over b");
        Check(Files.ReadAllText(root + "/b", out unused) == "from a", "b now has a's bytes");
        Expect(Stat(root + "/c").Kind, -Errno.ENOENT, "c is gone");
        Expect(Sys.Rename(root + "/b", root + "/b"), 0, "rename onto itself");
        Expect(Sys.Rename(root + "/nothing", root + "/x"), -Errno.ENOENT, "rename of a missing name");

        Expect(Sys.MakeDirectory(root + "/d"), 0, "mkdir d");
        Expect(Sys.MakeDirectory(root + "/d/e"), 0, "mkdir d/e");
        Expect(Sys.Rename(root + "/d", root + "/d/e/f"), -Errno.EINVAL, "a directory into itself");
        Expect(Sys.Rename(root + "/d", root + "/d/f"), -Errno.EINVAL, "a directory into its own child");
        Expect(Sys.Rename(root + "/b", root + "/d"), -Errno.EISDIR, "a file over a directory");
        Expect(Sys.Rename(root + "/d", root + "/b"), -Errno.ENOTDIR, "a directory over a file");
        Expect(Sys.MakeDirectory(root + "/g"), 0, "mkdir g");
        Expect(Sys.Rename(root + "/g", root + "/d"), -Errno.ENOTEMPTY, "a directory over a non-empty one");
        Expect(Sys.Rename(root + "/d/e", root + "/g"), 0, "a directory over an empty one");
        Expect(Stat(root + "/g").Kind, 2, "g is the moved directory");
        Expect(Sys.ChangeDirectory(root + "/g"), 0, "chdir into it");
        Expect(Sys.Rename(root + "/g", root + "/d/moved"), 0, "move the current directory elsewhere");
        Check(Cwd() == root + "/d/moved", "getcwd follows the move (" + Cwd() + ")");
        Expect(Sys.ChangeDirectory("/"), 0, "chdir /");
        Expect(Sys.Rename(root + "/b", root + "/d/moved/b"), 0, "a file into another directory");
        Check(Files.ReadAllText(root + "/d/moved/b", out unused) == "from a", "it arrived whole");
        Expect(Sys.Rename(root + "/d/.", root + "/z"), -Errno.EINVAL, "rename of '.'");
        Capture("/bin/rm", new[] { "rm", "-r", root }, out int status);
        Expect(status, 0, "rm -r");
    }

    private static void SymbolicLinks()
    {
        string root = Scratch("symlink");
        Touch(root + "/target", "through the link");
        Expect(Sys.SymbolicLink("target", root + "/link"), 0, "symlink (relative target)");
        Check(Files.ReadAllText(root + "/link", out long unused) == "through the link", "open follows it from the link's directory");
        Expect(Stat(root + "/link", follow: false).Kind, 5, "lstat sees a link");
        Expect(Stat(root + "/link", follow: false).Size, 6, "whose size is its text's length");
        Expect(Stat(root + "/link").Kind, 1, "stat sees the file");
        byte* buffer = stackalloc byte[64];
        Expect(Sys.ReadLink(root + "/link", new Span<byte>(buffer, 64)), 6, "readlink returns the length");
        Check(string.FromAscii(buffer, 6) == "target", "and the text");
        Expect(Sys.ReadLink(root + "/link", new Span<byte>(buffer, 3)), 3, "readlink into a smaller buffer cuts it");
        Expect(Sys.ReadLink(root + "/target", new Span<byte>(buffer, 64)), -Errno.EINVAL, "readlink of a file");
        Expect(Sys.Open(root + "/link", OpenFlags.ReadOnly | OpenFlags.NoFollow), -Errno.ELOOP, "O_NOFOLLOW on a link");
        Expect(Sys.SymbolicLink("x", root + "/link"), -Errno.EEXIST, "symlink onto an existing name");

        Expect(Sys.SymbolicLink(root + "/nowhere", root + "/dangling"), 0, "a dangling link may be made");
        Expect(Sys.Open(root + "/dangling", OpenFlags.ReadOnly), -Errno.ENOENT, "opening it is ENOENT");
        Expect(Sys.Open(root + "/dangling", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive), -Errno.EEXIST, "O_CREAT|O_EXCL on it is EEXIST");

        Expect(Sys.SymbolicLink("b", root + "/a"), 0, "a -> b");
        Expect(Sys.SymbolicLink("a", root + "/b"), 0, "b -> a");
        Expect(Sys.Open(root + "/a", OpenFlags.ReadOnly), -Errno.ELOOP, "a loop is ELOOP");
        Expect(Sys.SymbolicLink("self", root + "/self"), 0, "self -> self");
        Expect(Sys.PathStatus(root + "/self", out FileStatus unusedStatus), -Errno.ELOOP, "stat of a link to itself");
        Expect(Stat(root + "/self", follow: false).Kind, 5, "lstat of it works");

        // A chain of 10 links is followed; 11 is too many.
        string previous = "target";
        for (int i = 1; i <= 11; i++)
        {
            Sys.SymbolicLink(previous, root + "/chain" + i);
            previous = "chain" + i;
        }
        Check(Files.ReadAllText(root + "/chain10", out unused) == "through the link", "10 links in a row are followed");
        Expect(Sys.Open(root + "/chain11", OpenFlags.ReadOnly), -Errno.ELOOP, "11 are too many");

        Expect(Sys.MakeDirectory(root + "/dir"), 0, "mkdir dir");
        Expect(Sys.SymbolicLink(root + "/dir", root + "/dirlink"), 0, "a link to a directory");
        Touch(root + "/dirlink/inside", "x");
        Expect(Stat(root + "/dir/inside").Kind, 1, "a path through the link lands in the directory");
        Expect(Sys.ChangeDirectory(root + "/dirlink"), 0, "chdir through a link");
        Check(Cwd() == root + "/dir", "getcwd names the real directory (" + Cwd() + ")");
        Expect(Sys.ChangeDirectory("/"), 0, "chdir /");
        Expect(Sys.Unlink(root + "/dirlink"), 0, "unlink removes the link");
        Expect(Stat(root + "/dir").Kind, 2, "not the directory it points to");
        Expect(Sys.Unlink(root + "/link"), 0, "unlink a link to a file");
        Expect(Stat(root + "/target").Kind, 1, "the file stays");
        Capture("/bin/rm", new[] { "rm", "-r", root }, out int status);
        Expect(status, 0, "rm -r (links are removed, not followed)");
    }

    private static void ReadDirectory()
    {
        long fd = Sys.Open("/bin", OpenFlags.ReadOnly);
        bool sawShell = false;
        int count = 0;
        while (Sys.ReadDirectory((int)fd, count, out DirectoryEntry entry) == 1)
        {
            if (string.FromAscii(entry.Name, entry.NameLength) == "sh") sawShell = true;
            count++;
        }
        Check(count >= 8, "/bin has the programs");
        Check(sawShell, "one of them is sh");
        Expect(Sys.ReadDirectory((int)fd, -1, out DirectoryEntry unused), -Errno.EINVAL, "a negative index");
        Sys.Close((int)fd);
    }
}
