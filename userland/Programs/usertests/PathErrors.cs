using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for descriptors' seeks, truncation and fsync, open's flags, hostile pointers and
/// lengths for every path syscall, and several processes creating and removing files in one
/// directory at once. The tree's own cases are in usertests/Paths.cs.
/// </summary>
public static unsafe partial class UserTests
{
    private static void SeekTruncateSync()
    {
        string root = Scratch("seek");
        long fd = Sys.Open(root + "/f", OpenFlags.ReadWrite | OpenFlags.Create);
        Expect(Sys.Write((int)fd, Bytes("0123456789")), 10, "write 10 bytes");
        Expect(Sys.Seek((int)fd, 2, SeekFrom.Start), 2, "SEEK_SET 2");
        Expect(Sys.Seek((int)fd, 3, SeekFrom.Current), 5, "SEEK_CUR +3");
        byte* one = stackalloc byte[4];
        Expect(Sys.Read((int)fd, new Span<byte>(one, 1)), 1, "read one byte there");
        Check(one[0] == (byte)'5', "it is byte 5");
        Expect(Sys.Seek((int)fd, -1, SeekFrom.End), 9, "SEEK_END -1");
        Expect(Sys.Seek((int)fd, -11, SeekFrom.End), -Errno.EINVAL, "before the start");
        Expect(Sys.Seek((int)fd, 0, 7), -Errno.EINVAL, "an unknown whence");
        Expect(Sys.Seek((int)fd, 20, SeekFrom.Start), 20, "past the end is allowed");
        Expect(Sys.Write((int)fd, Bytes("x")), 1, "a write there leaves a gap");
        Expect(Sys.FileStatus((int)fd, out FileStatus status), 0, "fstat");
        Expect(status.Size, 21, "the size counts the gap");
        Expect(Sys.Seek((int)fd, 12, SeekFrom.Start), 12, "into the gap");
        Expect(Sys.Read((int)fd, new Span<byte>(one, 1)), 1, "read the gap");
        Expect(one[0], 0, "a gap reads as zero");

        Expect(Sys.Truncate((int)fd, 4), 0, "ftruncate to 4");
        Sys.FileStatus((int)fd, out status);
        Expect(status.Size, 4, "the size is 4");
        Expect(Sys.Truncate((int)fd, 8), 0, "ftruncate up to 8");
        Expect(Sys.Seek((int)fd, 3, SeekFrom.Start), 3, "seek 3");
        Expect(Sys.Read((int)fd, new Span<byte>(one, 4)), 4, "read across the old end");
        Check(one[0] == (byte)'3' && one[1] == 0 && one[3] == 0, "the bytes past the old end are zeros, not the old bytes");
        Expect(Sys.Truncate((int)fd, -1), -Errno.EINVAL, "ftruncate to a negative size");
        Expect(Sys.Sync((int)fd), 0, "fsync of a RAM file");
        Sys.Close((int)fd);
        fd = Sys.Open(root + "/f", OpenFlags.ReadOnly);
        Expect(Sys.Truncate((int)fd, 0), -Errno.EINVAL, "ftruncate of a file open only for reading");
        Sys.Close((int)fd);

        Sys.Pipe(out PipeDescriptors pipe);
        Expect(Sys.Seek(pipe.Read, 0, SeekFrom.Start), -Errno.ESPIPE, "lseek on a pipe");
        Expect(Sys.Truncate(pipe.Write, 0), -Errno.EINVAL, "ftruncate of a pipe");
        Expect(Sys.Sync(pipe.Write), -Errno.EINVAL, "fsync of a pipe");
        Sys.Close(pipe.Read);
        Sys.Close(pipe.Write);
        Expect(Sys.Seek(Console.StandardOutput, 0, SeekFrom.Current), -Errno.ESPIPE, "lseek on the console");
        Expect(Sys.Seek(77, 0, SeekFrom.Start), -Errno.EBADF, "lseek of a closed descriptor");
        Expect(Sys.Truncate(77, 0), -Errno.EBADF, "ftruncate of a closed descriptor");
        Expect(Sys.Sync(77), -Errno.EBADF, "fsync of a closed descriptor");
        fd = Sys.Open(root, OpenFlags.ReadOnly);
        Expect(Sys.Sync((int)fd), 0, "fsync of a directory");
        Sys.Close((int)fd);
        Capture("/bin/rm", new[] { "rm", "-r", root }, out int unused);
    }

    private static void OpenFlagSemantics()
    {
        string root = Scratch("flags");
        string path = root + "/f";
        long fd = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
        Check(fd >= 0, "O_CREAT|O_EXCL makes a new file");
        Sys.Write((int)fd, Bytes("abc"));
        Sys.Close((int)fd);
        Expect(Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive), -Errno.EEXIST, "O_EXCL on an existing file");
        Expect(Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory), -Errno.ENOTDIR, "O_DIRECTORY on a file");
        fd = Sys.Open(root, OpenFlags.ReadOnly | OpenFlags.Directory);
        Check(fd >= 0, "O_DIRECTORY on a directory");
        Sys.Close((int)fd);
        Expect(Sys.Open(root, OpenFlags.WriteOnly), -Errno.EISDIR, "a directory opened for writing");
        Expect(Sys.Open(path + "/", OpenFlags.ReadOnly), -Errno.ENOTDIR, "a file with a trailing slash");
        Expect(Sys.Open(root + "/new/", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.EISDIR, "O_CREAT of a name ending in /");
        Expect(Sys.Open(root + "/" + new string('n', 61), OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENAMETOOLONG, "O_CREAT of a 61-character name");
        Expect(Sys.Open(root + "/" + new string('n', 61) + "/x", OpenFlags.ReadOnly), -Errno.ENAMETOOLONG, "a 61-character part in a lookup");
        fd = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Append);
        Sys.Write((int)fd, Bytes("de"));
        Sys.Close((int)fd);
        Check(Files.ReadAllText(path, out long unused) == "abcde", "O_APPEND writes at the end");
        fd = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Truncate);
        Sys.Close((int)fd);
        Expect(Stat(path).Size, 0, "O_TRUNC empties it");
        Check(Stat(path).Inode != 0 && Stat(path).Inode == Stat(path).Inode, "stat gives one inode number each time");
        Capture("/bin/rm", new[] { "rm", "-r", root }, out int status);
    }

    private static void PathBadPointers()
    {
        ulong readOnly = ReadOnlyCode;
        ulong[] paths = { 0, KernelAddress, UnmappedAddress, EndOfUserSpace - 1 };
        foreach (ulong bad in paths)
        {
            Expect(Sys.Call(SyscallNumbers.MakeDirectory, bad), -Errno.EFAULT, "mkdir with a bad path");
            Expect(Sys.Call(SyscallNumbers.Unlink, bad), -Errno.EFAULT, "unlink with a bad path");
            Expect(Sys.Call(SyscallNumbers.RemoveDirectory, bad), -Errno.EFAULT, "rmdir with a bad path");
            Expect(Sys.Call(SyscallNumbers.ChangeDirectory, bad), -Errno.EFAULT, "chdir with a bad path");
            Expect(Sys.Call(SyscallNumbers.Link, bad, bad), -Errno.EFAULT, "link with bad paths");
            Expect(Sys.Call(SyscallNumbers.SymbolicLink, bad, bad), -Errno.EFAULT, "symlink with bad paths");
            Expect(Sys.Call(SyscallNumbers.Rename, bad, bad), -Errno.EFAULT, "rename with bad paths");
            Expect(Sys.Call(SyscallNumbers.PathStatus, bad, bad), -Errno.EFAULT, "stat with a bad path");
            Expect(Sys.Call(SyscallNumbers.LinkStatus, bad, bad), -Errno.EFAULT, "lstat with a bad path");
        }
        // One good path and one bad: nothing may happen.
        byte* good = stackalloc byte[32];
        Sys.ToAscii("/ut-never", good, 32);
        Expect(Sys.Call(SyscallNumbers.Link, (ulong)good, KernelAddress), -Errno.EFAULT, "link to a bad new path");
        Expect(Sys.Call(SyscallNumbers.SymbolicLink, (ulong)good, KernelAddress), -Errno.EFAULT, "symlink at a bad path");
        Expect(Sys.Call(SyscallNumbers.Rename, (ulong)good, UnmappedAddress), -Errno.EFAULT, "rename to a bad path");
        Expect(Sys.PathStatus("/ut-never", out FileStatus unused), -Errno.ENOENT, "nothing was made");

        // Buffers the kernel writes: read-only, kernel, unmapped, wrapping.
        Sys.ToAscii("/", good, 32);
        Expect(Sys.Call(SyscallNumbers.PathStatus, (ulong)good, readOnly), -Errno.EFAULT, "stat into read-only memory");
        Expect(Sys.Call(SyscallNumbers.LinkStatus, (ulong)good, KernelAddress), -Errno.EFAULT, "lstat into kernel memory");
        Expect(Sys.Call(SyscallNumbers.GetCurrentDirectory, readOnly, 64), -Errno.EFAULT, "getcwd into read-only memory");
        Expect(Sys.Call(SyscallNumbers.GetCurrentDirectory, KernelAddress, 64), -Errno.EFAULT, "getcwd into kernel memory");
        Expect(Sys.Call(SyscallNumbers.GetCurrentDirectory, ulong.MaxValue - 8, 64), -Errno.EFAULT, "getcwd into a wrapping buffer");
        Expect(Sys.Call(SyscallNumbers.GetCurrentDirectory, (ulong)good, 0), -Errno.ERANGE, "getcwd into no room");
        Check(ReadOnlyCodeIsIntact, "the read-only code is unchanged");

        Expect(Sys.SymbolicLink("/etc/motd", "/ut-badlink"), 0, "a link to read");
        Sys.ToAscii("/ut-badlink", good, 32);
        Expect(Sys.Call(SyscallNumbers.ReadLink, (ulong)good, KernelAddress, 64), -Errno.EFAULT, "readlink into kernel memory");
        Expect(Sys.Call(SyscallNumbers.ReadLink, (ulong)good, readOnly, 64), -Errno.EFAULT, "readlink into read-only memory");
        Expect(Sys.Call(SyscallNumbers.ReadLink, (ulong)good, UnmappedAddress, 64), -Errno.EFAULT, "readlink into unmapped memory");
        Expect(Sys.Call(SyscallNumbers.ReadLink, (ulong)good, (ulong)good, 0), -Errno.EINVAL, "readlink into no room");
        Expect(Sys.Call(SyscallNumbers.ReadLink, UnmappedAddress, (ulong)good, 16), -Errno.EFAULT, "readlink of a bad path");
        Check(ReadOnlyCodeIsIntact, "the read-only code is still unchanged");
        Expect(Sys.Unlink("/ut-badlink"), 0, "unlink the link");

        // A path with no NUL within 256 bytes.
        byte* endless = stackalloc byte[400];
        for (int i = 0; i < 400; i++) endless[i] = (byte)'a';
        Expect(Sys.Call(SyscallNumbers.MakeDirectory, (ulong)endless), -Errno.ENAMETOOLONG, "mkdir of an unterminated path");
        Expect(Sys.Call(SyscallNumbers.ChangeDirectory, (ulong)endless), -Errno.ENAMETOOLONG, "chdir of an unterminated path");
        Expect(Sys.Call(SyscallNumbers.Rename, (ulong)good, (ulong)endless), -Errno.ENAMETOOLONG, "rename to an unterminated path");
        Expect(Sys.Call(SyscallNumbers.Seek, 1, 0, 0xFFFF_FFFF), -Errno.ESPIPE, "lseek with a junk whence on the console");
    }

    private const int CreatingProcesses = 4, FilesEach = 40, Rounds = 3;

    // Several processes create and remove files in one directory at once; every count must add up.
    private static void ConcurrentCreate()
    {
        string root = Scratch("concurrent");
        s_concurrentRoot = root;
        long[] pids = new long[CreatingProcesses];
        for (int p = 0; p < CreatingProcesses; p++)
        {
            s_concurrentIndex = p;
            pids[p] = ForkRunning(&CreateAndRemove);
        }
        int failures = 0;
        foreach (long pid in pids) if (pid < 0 || WaitFor(pid) != 0) failures++;
        Expect(failures, 0, "every process created and removed its files");
        long fd = Sys.Open(root, OpenFlags.ReadOnly);
        int count = 0;
        while (Sys.ReadDirectory((int)fd, count, out DirectoryEntry entry) == 1) count++;
        Sys.FileStatus((int)fd, out FileStatus status);
        Sys.Close((int)fd);
        Expect(count, CreatingProcesses * FilesEach / 2, "the files kept: half of each process's");
        Expect(status.Size, count, "the directory's size says the same");
        Capture("/bin/rm", new[] { "rm", "-r", root }, out int rmStatus);
        Expect(rmStatus, 0, "rm -r");
    }

    private static string s_concurrentRoot;
    private static int s_concurrentIndex;

    // Rounds of: create FilesEach files (O_EXCL: each name once), then remove them; the last round
    // keeps the even ones. Any wrong answer ends the child with 1.
    private static int CreateAndRemove()
    {
        for (int round = 0; round < Rounds; round++)
        {
            for (int i = 0; i < FilesEach; i++)
            {
                long fd = Sys.Open(ConcurrentName(i), OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
                if (fd < 0) return 1;
                Sys.Close((int)fd);
            }
            for (int i = 0; i < FilesEach; i++)
            {
                if (round == Rounds - 1 && i % 2 == 0) continue;
                if (Sys.Unlink(ConcurrentName(i)) != 0) return 1;
            }
        }
        return 0;
    }

    private static string ConcurrentName(int i) => s_concurrentRoot + "/p" + s_concurrentIndex + "-" + i;
}
