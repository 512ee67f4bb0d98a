using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases of the disk's directories after xv6's dirfile (a file used as a directory) and
/// iref (a walk into deep directories and back, that must not leak inode references). Both on /disk,
/// each removing what it made.
/// </summary>
public static unsafe partial class UserTests
{
    /// <summary>A file in the place of a directory, in every call that takes a path: ENOTDIR.</summary>
    private static void DiskFileAsDirectory()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-dirfile"), 0, "mkdir");
        long descriptor = Sys.Open("/disk/t-dirfile/f", OpenFlags.WriteOnly | OpenFlags.Create);
        Check(descriptor >= 0, "create f");
        Sys.Close((int)descriptor);
        const string Under = "/disk/t-dirfile/f/x";
        Expect(Sys.ChangeDirectory("/disk/t-dirfile/f"), -Errno.ENOTDIR, "chdir to a file");
        Expect(Sys.Open(Under, OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOTDIR, "create under a file");
        Expect(Sys.Open(Under, OpenFlags.ReadOnly), -Errno.ENOTDIR, "open under a file");
        Expect(Sys.MakeDirectory(Under), -Errno.ENOTDIR, "mkdir under a file");
        Expect(Sys.Unlink(Under), -Errno.ENOTDIR, "unlink under a file");
        Expect(Sys.RemoveDirectory(Under), -Errno.ENOTDIR, "rmdir under a file");
        Expect(Sys.RemoveDirectory("/disk/t-dirfile/f"), -Errno.ENOTDIR, "rmdir of a file");
        Expect(Sys.Link("/disk/t-dirfile/f", Under), -Errno.ENOTDIR, "link to a name under a file");
        Expect(Sys.Link(Under, "/disk/t-dirfile/g"), -Errno.ENOTDIR, "link from a name under a file");
        Expect(Sys.SymbolicLink("anything", Under), -Errno.ENOTDIR, "symlink under a file");
        Expect(Sys.Rename("/disk/t-dirfile/f", Under), -Errno.ENOTDIR, "rename to a name under a file");
        Expect(Sys.Rename(Under, "/disk/t-dirfile/g"), -Errno.ENOTDIR, "rename from a name under a file");
        Expect(Sys.PathStatus(Under, out _), -Errno.ENOTDIR, "stat under a file");
        Expect(Sys.PathStatus("/disk/t-dirfile/f/", out _), -Errno.ENOTDIR, "stat of a file with a trailing slash");
        Expect(Sys.Open("/disk/t-dirfile/f", OpenFlags.ReadOnly | OpenFlags.Directory), -Errno.ENOTDIR, "O_DIRECTORY on a file");
        descriptor = Sys.Open("/disk/t-dirfile/f", OpenFlags.ReadOnly);
        Expect(Sys.ReadDirectory((int)descriptor, 0, out DirectoryEntry entry), -Errno.ENOTDIR, "readdir of a file");
        Sys.Close((int)descriptor);
        // And the other way round: a directory is not a file.
        Expect(Sys.Open("/disk/t-dirfile", OpenFlags.ReadWrite), -Errno.EISDIR, "open a directory for writing");
        Expect(Sys.Unlink("/disk/t-dirfile"), -Errno.EISDIR, "unlink of a directory");
        descriptor = Sys.Open("/disk/t-dirfile", OpenFlags.ReadOnly);
        byte one = 0;
        Expect(Sys.Read((int)descriptor, new Span<byte>(&one, 1)), -Errno.EISDIR, "read of a directory's descriptor");
        Sys.Close((int)descriptor);
        Expect(CountEntries("/disk/t-dirfile"), 1, "nothing was made by the refused calls");
        Expect(Sys.Unlink("/disk/t-dirfile/f"), 0, "unlink f");
        Expect(Sys.RemoveDirectory("/disk/t-dirfile"), 0, "rmdir");
    }

    // More levels than the kernel's inode cache has entries (kernel/Fs/InodeCache.cs, 128): a call that
    // kept one reference too many per level would run the cache out (ENFILE) before the bottom.
    private const int InodeReferenceLevels = 140;

    /// <summary>
    /// xv6's iref: go down <see cref="InodeReferenceLevels"/> directories, each one made and entered with
    /// a relative chdir, trying at each level the calls that fail on an empty name or a missing one and
    /// a create and unlink; then climb back with "..", removing each; twice.
    /// </summary>
    private static void DiskInodeReferences()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-iref"), 0, "mkdir");
        for (int pass = 0; pass < 2; pass++)
        {
            Expect(Sys.ChangeDirectory("/disk/t-iref"), 0, "chdir to the top");
            int depth = 0;
            bool ok = true;
            while (ok && depth < InodeReferenceLevels)
            {
                ok = Sys.MakeDirectory("d") == 0 && Sys.ChangeDirectory("d") == 0;
                if (!ok) { Check(false, "mkdir and chdir at depth " + depth); break; }
                depth++;
                ok &= Sys.MakeDirectory("") == -Errno.ENOENT;
                ok &= Sys.Link("/disk/t-iref/missing", "x") == -Errno.ENOENT;
                ok &= Sys.Open("", OpenFlags.WriteOnly | OpenFlags.Create) == -Errno.ENOENT;
                ok &= Sys.ChangeDirectory("missing") == -Errno.ENOENT;
                long descriptor = Sys.Open("x", OpenFlags.WriteOnly | OpenFlags.Create);
                ok &= descriptor >= 0 && Sys.Close((int)descriptor) == 0 && Sys.Unlink("x") == 0;
                if (!ok) Check(false, "the calls at depth " + depth);
            }
            Expect(depth, InodeReferenceLevels, "levels gone down");
            Expect(Sys.PathStatus("../d", out FileStatus self), 0, "a path through .. at the bottom");
            for (; depth > 0; depth--)
            {
                if (Sys.ChangeDirectory("..") != 0 || Sys.RemoveDirectory("d") != 0)
                {
                    Check(false, "chdir .. and rmdir at depth " + depth);
                    break;
                }
            }
            Expect(CountEntries("/disk/t-iref"), 0, "every level removed");
        }
        Expect(Sys.ChangeDirectory("/"), 0, "chdir /");
        Expect(Sys.RemoveDirectory("/disk/t-iref"), 0, "rmdir");
    }
}
