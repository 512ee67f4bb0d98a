using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the disk file system (kernel/Fs/DiskFileSystem.cs and the layers under it),
/// mounted at /disk. They run only when a disk is mounted there (a boot without a disk image skips
/// them, saying so); each works in a directory of its own under /disk and removes it at the end, so
/// that the disk is as before and fsck finds it clean. disk-persist-write and disk-persist-read run
/// only when named: the persistence test (tests/Integration) boots twice on one image, writing in
/// the first boot and reading in the second.
/// </summary>
public static unsafe partial class UserTests
{
    private const int BigFileBytes = 4 * 1024 * 1024;          // past the single-indirect limit (267 KiB)

    private static bool DiskMounted()
    {
        // "/disk" is made by the kernel only when it mounts a disk there.
        bool mounted = Sys.PathStatus("/disk", out FileStatus status) == 0 && status.Kind == (int)FileKindDirectory;
        if (!mounted) Console.WriteLine("  no disk mounted at /disk: skipped");
        return mounted;
    }

    private const int FileKindDirectory = 2;

    private static byte PatternAt(long offset) => (byte)(offset * 7 + (offset >> 10) + (offset >> 17));

    // Writes `length` bytes of the pattern (from offset `from`) in pieces of `piece`; the bytes written.
    private static long WritePattern(int descriptor, long from, long length, int piece)
    {
        byte[] buffer = new byte[piece];
        long done = 0;
        while (done < length)
        {
            int size = (int)Math.Min(piece, length - done);
            for (int i = 0; i < size; i++) buffer[i] = PatternAt(from + done + i);
            long written = Sys.Write(descriptor, new ReadOnlySpan<byte>(buffer, 0, size));
            if (written <= 0) return done > 0 ? done : written;
            done += written;
        }
        return done;
    }

    // Reads `length` bytes and compares them with the pattern; the first offset that differs, or -1.
    private static long FirstMismatch(int descriptor, long from, long length, int piece)
    {
        byte[] buffer = new byte[piece];
        long done = 0;
        while (done < length)
        {
            long read = Sys.Read(descriptor, new Span<byte>(buffer, 0, (int)Math.Min(piece, length - done)));
            if (read <= 0) return from + done;
            for (int i = 0; i < read; i++)
                if (buffer[i] != PatternAt(from + done + i)) return from + done + i;
            done += read;
        }
        return -1;
    }

    private static void DiskCreateWriteRead()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-files"), 0, "mkdir /disk/t-files");
        long descriptor = Sys.Open("/disk/t-files/a", OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Exclusive);
        Check(descriptor >= 0, "create /disk/t-files/a");
        Expect(WritePattern((int)descriptor, 0, 5000, 777), 5000, "write 5,000 bytes in odd pieces");
        Expect(Sys.Seek((int)descriptor, 0, SeekFrom.Start), 0, "seek back to 0");
        Expect(FirstMismatch((int)descriptor, 0, 5000, 1000), -1, "read back what was written");
        byte one = 0;
        Expect(Sys.Read((int)descriptor, new Span<byte>(&one, 1)), 0, "read at the end gives 0");
        Sys.Close((int)descriptor);
        Expect(Sys.PathStatus("/disk/t-files/a", out FileStatus status), 0, "stat the file");
        Expect(status.Size, 5000, "its size");
        Expect(status.Links, 1, "its link count");

        // A write past the end leaves a hole that reads as zeros.
        descriptor = Sys.Open("/disk/t-files/a", OpenFlags.ReadWrite);
        Expect(Sys.Seek((int)descriptor, 20000, SeekFrom.Start), 20000, "seek past the end");
        Expect(Sys.Write((int)descriptor, new ReadOnlySpan<byte>(&one, 1)), 1, "write one byte there");
        byte[] hole = new byte[100];
        Sys.Seek((int)descriptor, 10000, SeekFrom.Start);
        Expect(Sys.Read((int)descriptor, hole), 100, "read in the hole");
        bool zeros = true;
        for (int i = 0; i < hole.Length; i++) zeros &= hole[i] == 0;
        Check(zeros, "a hole reads as zeros");
        Expect(Sys.Truncate((int)descriptor, 3000), 0, "ftruncate to 3,000");
        Expect(Sys.Seek((int)descriptor, 0, SeekFrom.End), 3000, "the end is at 3,000");
        Sys.Close((int)descriptor);

        Expect(Sys.Open("/disk/t-files/a", OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.WriteOnly), -Errno.EEXIST, "O_EXCL on an existing file");
        Expect(Sys.Open("/disk/t-files/" + new string('n', 61), OpenFlags.Create | OpenFlags.WriteOnly), -Errno.ENAMETOOLONG, "a name of 61 bytes");
        long sixty = Sys.Open("/disk/t-files/" + new string('n', 60), OpenFlags.Create | OpenFlags.WriteOnly);
        Check(sixty >= 0, "a name of 60 bytes is fine");
        Sys.Close((int)sixty);
        Expect(Sys.Unlink("/disk/t-files/" + new string('n', 60)), 0, "unlink it");
        Expect(Sys.RemoveDirectory("/disk/t-files"), -Errno.ENOTEMPTY, "rmdir of a directory with a file");
        Expect(Sys.Unlink("/disk/t-files/a"), 0, "unlink the file");
        Expect(Sys.Unlink("/disk/t-files/a"), -Errno.ENOENT, "unlink it again");
        Expect(Sys.RemoveDirectory("/disk/t-files"), 0, "rmdir the empty directory");
    }

    private static void DiskBigFile()
    {
        if (!DiskMounted()) return;
        long descriptor = Sys.Open("/disk/t-big", OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        Check(descriptor >= 0, "create /disk/t-big");
        long start = Sys.Uptime();
        Expect(WritePattern((int)descriptor, 0, BigFileBytes, 64 * 1024), BigFileBytes, "write 4 MiB (through double-indirect blocks)");
        long written = Sys.Uptime();
        Sys.Seek((int)descriptor, 0, SeekFrom.Start);
        Expect(FirstMismatch((int)descriptor, 0, BigFileBytes, 64 * 1024), -1, "read the 4 MiB back");
        long read = Sys.Uptime();
        Console.WriteLine("  4 MiB: written in " + (written - start) + " ms, read in " + (read - written) + " ms");
        // Overwrite a stretch across the single-/double-indirect boundary, and check it and around it.
        long boundary = (11 + 256) * 1024L;
        Sys.Seek((int)descriptor, boundary - 5000, SeekFrom.Start);
        Expect(WritePattern((int)descriptor, boundary - 5000, 10000, 3000), 10000, "rewrite across the double-indirect boundary");
        Sys.Seek((int)descriptor, boundary - 8000, SeekFrom.Start);
        Expect(FirstMismatch((int)descriptor, boundary - 8000, 16000, 4096), -1, "and read it back");
        Sys.Close((int)descriptor);
        Expect(Sys.PathStatus("/disk/t-big", out FileStatus status), 0, "stat it");
        Expect(status.Size, BigFileBytes, "its size");
        Expect(Sys.Unlink("/disk/t-big"), 0, "unlink it (frees every block, the indirect ones too)");
    }

    /// <summary>
    /// The largest file there is room for in a double-indirect inode, nearly: 64 MiB (65,536 of the
    /// 65,803 blocks), written, read back and unlinked, with the times. Only when named: it takes
    /// minutes under TCG, and a disk of more than 64 MiB (build/disk.img has 128).
    /// </summary>
    private static void DiskHugeFile()
    {
        if (!DiskMounted()) return;
        const long Bytes = 64L * 1024 * 1024;
        long descriptor = Sys.Open("/disk/t-huge", OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        Check(descriptor >= 0, "create /disk/t-huge");
        long start = Sys.Uptime();
        Expect(WritePattern((int)descriptor, 0, Bytes, 64 * 1024), Bytes, "write 64 MiB");
        long written = Sys.Uptime();
        Sys.Seek((int)descriptor, 0, SeekFrom.Start);
        Expect(FirstMismatch((int)descriptor, 0, Bytes, 64 * 1024), -1, "read the 64 MiB back");
        long read = Sys.Uptime();
        Sys.Close((int)descriptor);
        Expect(Sys.Unlink("/disk/t-huge"), 0, "unlink it");
        long unlinked = Sys.Uptime();
        Console.WriteLine("  64 MiB: written in " + (written - start) + " ms, read in " + (read - written) + " ms, unlinked in " + (unlinked - read) + " ms");
    }

    private static void DiskBigDirectory()
    {
        if (!DiskMounted()) return;
        const int Files = 200;
        Expect(Sys.MakeDirectory("/disk/t-bigdir"), 0, "mkdir");
        for (int i = 0; i < Files; i++)
        {
            long descriptor = Sys.Open("/disk/t-bigdir/file" + i, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
            if (descriptor < 0) { Expect(descriptor, 0, "create file" + i); break; }
            Sys.Close((int)descriptor);
        }
        long directory = Sys.Open("/disk/t-bigdir", OpenFlags.ReadOnly);
        int count = 0;
        while (Sys.ReadDirectory((int)directory, count, out DirectoryEntry entry) == 1) count++;
        Sys.Close((int)directory);
        Expect(count, Files, "readdir lists every file");
        for (int i = 0; i < Files; i++) Expect(Sys.Unlink("/disk/t-bigdir/file" + i), 0, "unlink file" + i);
        Expect(Sys.RemoveDirectory("/disk/t-bigdir"), 0, "rmdir the emptied directory");
    }

    private static void DiskCreateDelete()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-cd"), 0, "mkdir");
        // Two processes create and delete their own files in one directory, at once.
        long child = Sys.Fork();
        string prefix = child == 0 ? "/disk/t-cd/c" : "/disk/t-cd/p";
        bool ok = true;
        for (int round = 0; round < 20 && ok; round++)
        {
            for (int i = 0; i < 5; i++)
            {
                long descriptor = Sys.Open(prefix + i, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
                ok &= descriptor >= 0 && Sys.Write((int)descriptor, new ReadOnlySpan<byte>(&round, 4)) == 4;
                Sys.Close((int)descriptor);
            }
            for (int i = 0; i < 5; i++) ok &= Sys.Unlink(prefix + i) == 0;
        }
        if (child == 0) Sys.Exit(ok ? 0 : 1);
        Expect(Sys.Wait((int)child, out int status), child, "wait for the child");
        Check(ok, "the parent's 100 creates and deletes");
        Expect(status, 0, "the child's 100 creates and deletes");
        Expect(Sys.RemoveDirectory("/disk/t-cd"), 0, "the directory is empty at the end");
    }

    private static void DiskUnlinkOpenFile()
    {
        if (!DiskMounted()) return;
        long descriptor = Sys.Open("/disk/t-open", OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        Expect(WritePattern((int)descriptor, 0, 300000, 10000), 300000, "write 300,000 bytes");
        Expect(Sys.Unlink("/disk/t-open"), 0, "unlink while open");
        Expect(Sys.PathStatus("/disk/t-open", out _), -Errno.ENOENT, "the name is gone");
        Sys.Seek((int)descriptor, 0, SeekFrom.Start);
        Expect(FirstMismatch((int)descriptor, 0, 300000, 10000), -1, "the open file still reads");
        Expect(WritePattern((int)descriptor, 300000, 2000, 1000), 2000, "and writes");
        Expect(Sys.Close((int)descriptor), 0, "the last close frees it");
    }

    private static void DiskLinksAndRename()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-ln"), 0, "mkdir");
        Expect(Sys.MakeDirectory("/disk/t-ln/sub"), 0, "mkdir sub");
        long descriptor = Sys.Open("/disk/t-ln/f", OpenFlags.WriteOnly | OpenFlags.Create);
        Expect(WritePattern((int)descriptor, 0, 100, 100), 100, "write f");
        Sys.Close((int)descriptor);
        Expect(Sys.Link("/disk/t-ln/f", "/disk/t-ln/sub/g"), 0, "hard link");
        Sys.PathStatus("/disk/t-ln/f", out FileStatus status);
        Expect(status.Links, 2, "two names");
        Expect(Sys.Link("/disk/t-ln/sub", "/disk/t-ln/d"), -Errno.EPERM, "no hard link to a directory");
        Expect(Sys.Rename("/disk/t-ln/sub/g", "/disk/t-ln/h"), 0, "rename across directories");
        Expect(Sys.Rename("/disk/t-ln/h", "/disk/t-ln/f"), 0, "rename onto another name of the same file");
        Expect(Sys.PathStatus("/disk/t-ln/h", out _), 0, "does nothing: both names stay (POSIX)");
        Expect(Sys.Rename("/disk/t-ln", "/disk/t-ln/sub/x"), -Errno.EINVAL, "a directory cannot move below itself");
        Expect(Sys.Rename("/disk/t-ln/sub", "/disk/t-ln/sub2"), 0, "rename a directory");
        Sys.PathStatus("/disk/t-ln/sub2/..", out FileStatus parent);
        Sys.PathStatus("/disk/t-ln", out FileStatus self);
        Expect((long)parent.Inode, (long)self.Inode, "its .. still names its parent");

        // Symbolic links.
        Expect(Sys.SymbolicLink("f", "/disk/t-ln/s"), 0, "symlink s -> f");
        descriptor = Sys.Open("/disk/t-ln/s", OpenFlags.ReadOnly);
        Expect(FirstMismatch((int)descriptor, 0, 100, 100), -1, "read through the link");
        Sys.Close((int)descriptor);
        byte[] target = new byte[64];
        Expect(Sys.ReadLink("/disk/t-ln/s", target), 1, "readlink gives the target's length");
        Check(target[0] == (byte)'f', "and the target");
        Expect(Sys.Open("/disk/t-ln/s", OpenFlags.ReadOnly | OpenFlags.NoFollow), -Errno.ELOOP, "O_NOFOLLOW on a link");
        Expect(Sys.SymbolicLink("loop2", "/disk/t-ln/loop1"), 0, "loop1 -> loop2");
        Expect(Sys.SymbolicLink("loop1", "/disk/t-ln/loop2"), 0, "loop2 -> loop1");
        Expect(Sys.Open("/disk/t-ln/loop1", OpenFlags.ReadOnly), -Errno.ELOOP, "a loop of links is ELOOP");
        Expect(Sys.SymbolicLink("/disk/t-ln/sub2", "/disk/t-ln/abs"), 0, "an absolute link to a directory");
        Expect(Sys.PathStatus("/disk/t-ln/abs/..", out FileStatus through), 0, "a path through it");
        Expect(Sys.SymbolicLink("nowhere", "/disk/t-ln/dangling"), 0, "a dangling link");
        Expect(Sys.Open("/disk/t-ln/dangling", OpenFlags.ReadOnly), -Errno.ENOENT, "opening it is ENOENT");

        foreach (string name in new[] { "s", "loop1", "loop2", "abs", "dangling", "f", "h" }) Expect(Sys.Unlink("/disk/t-ln/" + name), 0, "unlink " + name);
        Expect(Sys.RemoveDirectory("/disk/t-ln/sub2"), 0, "rmdir sub2");
        Expect(Sys.RemoveDirectory("/disk/t-ln"), 0, "rmdir t-ln");
    }

    private static void DiskFull()
    {
        if (!DiskMounted()) return;
        long descriptor = Sys.Open("/disk/t-full", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        long total = 0, result;
        byte[] chunk = new byte[64 * 1024];
        while ((result = Sys.Write((int)descriptor, chunk)) == chunk.Length) total += result;
        if (result > 0) { total += result; result = Sys.Write((int)descriptor, chunk); }
        Expect(result, -Errno.ENOSPC, "writing until the disk is full ends in ENOSPC");
        Console.WriteLine("  the disk took " + total / 1024 + " KiB");
        Sys.Close((int)descriptor);
        long other = Sys.Open("/disk/t-full2", OpenFlags.WriteOnly | OpenFlags.Create);
        byte one = 1;
        if (other >= 0)
        {
            Expect(Sys.Write((int)other, new ReadOnlySpan<byte>(&one, 1)), -Errno.ENOSPC, "a full disk has no block for another file");
            Sys.Close((int)other);
            Expect(Sys.Unlink("/disk/t-full2"), 0, "unlink the empty file");
        }
        Expect(Sys.Unlink("/disk/t-full"), 0, "unlink the file that filled the disk");
        descriptor = Sys.Open("/disk/t-full", OpenFlags.ReadWrite | OpenFlags.Create);
        Expect(WritePattern((int)descriptor, 0, 100000, 10000), 100000, "after the unlink the space is there again");
        Sys.Close((int)descriptor);
        Expect(Sys.Unlink("/disk/t-full"), 0, "unlink it");
    }

    /// <summary>Creates files until no inode is left (ENOSPC), removes them, and creates again. Only when named, on a disk of few inodes.</summary>
    private static void DiskOutOfInodes()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-inodes"), 0, "mkdir");
        int made = 0;
        long result = 0;
        while (made < 10000)
        {
            result = Sys.Open("/disk/t-inodes/f" + made, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
            if (result < 0) break;
            Sys.Close((int)result);
            made++;
        }
        Expect(result, -Errno.ENOSPC, "creating files until no inode is free ends in ENOSPC");
        Check(made > 0, "some files were made first");
        Console.WriteLine("  " + made + " files took every free inode");
        Expect(Sys.MakeDirectory("/disk/t-inodes/d"), -Errno.ENOSPC, "mkdir needs an inode too");
        for (int i = 0; i < made; i++) Expect(Sys.Unlink("/disk/t-inodes/f" + i), 0, "unlink f" + i);
        long again = Sys.Open("/disk/t-inodes/again", OpenFlags.WriteOnly | OpenFlags.Create);
        Check(again >= 0, "after the unlinks a create works again");
        Sys.Close((int)again);
        Expect(Sys.Unlink("/disk/t-inodes/again"), 0, "unlink it");
        Expect(Sys.RemoveDirectory("/disk/t-inodes"), 0, "rmdir");
    }

    /// <summary>
    /// The file-tree tests of usertests/Paths.cs and PathErrors.cs once more, in scratch directories
    /// under /disk: the disk's directories, links, rename, seeks, truncation and open's flags must
    /// behave as the RAM file system's do.
    /// </summary>
    private static void DiskPathTests()
    {
        if (!DiskMounted()) return;
        s_scratchBase = "/disk";
        Directories();
        CurrentDirectory();
        HardLinks();
        UnlinkOpenFile();
        Renames();
        SymbolicLinks();
        SeekTruncateSync();
        OpenFlagSemantics();
        ConcurrentCreate();
        s_scratchBase = "";
    }

    private const long PersistBytes = 300000;

    private static void DiskPersistWrite()
    {
        if (!DiskMounted()) return;
        long descriptor = Sys.Open("/disk/persist.bin", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        Check(descriptor >= 0, "create /disk/persist.bin");
        Expect(WritePattern((int)descriptor, 0, PersistBytes, 4096), PersistBytes, "write 300,000 bytes");
        Sys.Close((int)descriptor);
    }

    private static void DiskPersistRead()
    {
        if (!DiskMounted()) return;
        long descriptor = Sys.Open("/disk/persist.bin", OpenFlags.ReadOnly);
        Check(descriptor >= 0, "open /disk/persist.bin, written before the reboot");
        Expect(FirstMismatch((int)descriptor, 0, PersistBytes, 4096), -1, "the same bytes after the reboot");
        Sys.Close((int)descriptor);
        Expect(Sys.Unlink("/disk/persist.bin"), 0, "unlink it");
    }
}
