using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the device files in /dev (kernel/Fs/Devices/): names that lead to a driver,
/// not to blocks. /dev/null swallows and reads as empty, /dev/zero reads as zeros for ever (bounded
/// by the caller's buffer, whatever length it claims), /dev/console prints (its reads wait for a
/// typed line: tests/Integration/ShellTests.cs types one). /dev's names are fixed: every change
/// there is EROFS, and across volumes EXDEV.
/// </summary>
public static unsafe partial class UserTests
{
    private const int KindDirectory = 2, KindCharacterDevice = 7;

    private static void DeviceFiles()
    {
        Expect(Stat("/dev").Kind, KindDirectory, "/dev is a directory");
        FileStatus nullStatus = Stat("/dev/null");
        Expect(nullStatus.Kind, KindCharacterDevice, "stat /dev/null: a character device");
        Expect(nullStatus.Size, 0, "a device has no size");
        Expect(nullStatus.Links, 1, "/dev/null has one name");
        FileStatus console = Stat("/dev/console"), tty = Stat("/dev/tty");
        Check(console.Kind == KindCharacterDevice && tty.Kind == KindCharacterDevice, "/dev/console and /dev/tty are character devices");
        Check(console.Inode == tty.Inode && console.Links == 2, "/dev/tty is a second name of the console (one inode, two links)");
        Check(Stat("/dev/zero").Inode != nullStatus.Inode, "null and zero are two devices");
        Check(DeviceNames() == "console null tty zero ", "ls /dev: the four names, each a character device: " + DeviceNames());

        long fd = Sys.Open("/dev/null", OpenFlags.ReadWrite);
        Check(fd >= 3, "open /dev/null for reading and writing");
        Expect(Sys.Write((int)fd, Bytes("swallowed")), 9, "a write to /dev/null takes every byte");
        byte* buffer = stackalloc byte[256];
        Expect(Sys.Read((int)fd, new Span<byte>(buffer, 256)), 0, "a read of /dev/null is at the end at once");
        Expect(Sys.FileStatus((int)fd, out FileStatus status), 0, "fstat of /dev/null");
        Check(status.Kind == KindCharacterDevice && status.Inode == nullStatus.Inode, "fstat says the same as stat");
        Sys.Close((int)fd);

        // The shell's `echo hi > /dev/null` opens with O_CREAT|O_TRUNC: the name exists, and O_TRUNC means nothing to a device.
        fd = Sys.Open("/dev/null", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        Check(fd >= 3, "open /dev/null with O_CREAT|O_TRUNC, as a shell redirection does");
        Sys.Close((int)fd);
        fd = Sys.Open("/dev/null", OpenFlags.WriteOnly | OpenFlags.Append);
        Expect(Sys.Write((int)fd, Bytes("more")), 4, "an O_APPEND write to /dev/null");
        Expect(Sys.Read((int)fd, new Span<byte>(buffer, 4)), -Errno.EBADF, "a read of /dev/null opened only for writing");
        Sys.Close((int)fd);
        Expect(RunEchoWithOutputOn("/dev/null"), 0, "echo hi > /dev/null: echo runs and exits 0");

        fd = Sys.Open("/dev/zero", OpenFlags.ReadOnly);
        for (int i = 0; i < 256; i++) buffer[i] = 0xAA;
        Expect(Sys.Read((int)fd, new Span<byte>(buffer, 200)), 200, "a read of /dev/zero fills the buffer");
        bool zeros = true;
        for (int i = 0; i < 200; i++) zeros &= buffer[i] == 0;
        Check(zeros && buffer[200] == 0xAA, "with zeros, and not one byte past it");
        Expect(Sys.Read((int)fd, new Span<byte>(buffer, 1)), 1, "and again: /dev/zero never ends");
        Expect(Sys.Write((int)fd, Bytes("x")), -Errno.EBADF, "a write to /dev/zero opened only for reading");
        Sys.Close((int)fd);
        fd = Sys.Open("/dev/zero", OpenFlags.WriteOnly);
        Expect(Sys.Write((int)fd, Bytes("forgotten")), 9, "a write to /dev/zero is forgotten, as /dev/null's");
        Sys.Close((int)fd);

        fd = Sys.Open("/dev/console", OpenFlags.WriteOnly);
        Expect(Sys.Write((int)fd, Bytes("usertests: printed through /dev/console\n")), 40, "a write to /dev/console prints");
        Expect(Sys.Seek((int)fd, 0, SeekFrom.Current), -Errno.ESPIPE, "lseek on /dev/console, a terminal");
        Sys.Close((int)fd);

        Expect(Stat("/dev/../bin").Kind, KindDirectory, "/dev/.. is / (the mount crossed back)");
        Expect(Stat("/dev/./null").Kind, KindCharacterDevice, "/dev/./null");
        Expect(Stat("/dev/null/x").Kind, -Errno.ENOTDIR, "a path through a device");
        Expect(Stat("/dev/missing").Kind, -Errno.ENOENT, "a name /dev does not have");
        Expect(Sys.ChangeDirectory("/dev"), 0, "cd /dev");
        Expect(Stat("zero").Kind, KindCharacterDevice, "a relative path in /dev");
        byte* cwd = stackalloc byte[64];
        long length = Sys.GetCurrentDirectory(new Span<byte>(cwd, 64));
        Check(length > 0 && string.FromAscii(cwd, (int)length) == "/dev", "getcwd in /dev is /dev");
        Sys.ChangeDirectory("/");
    }

    private static void DeviceRefusals()
    {
        string root = Scratch("devices");
        Expect(Sys.Open("/dev/new", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.EROFS, "create a file in /dev");
        Expect(Sys.Open("/dev/null", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive), -Errno.EEXIST, "O_EXCL on /dev/null");
        Expect(Sys.MakeDirectory("/dev/d"), -Errno.EROFS, "mkdir in /dev");
        Expect(Sys.MakeDirectory("/dev/null"), -Errno.EEXIST, "mkdir of a device's name");
        Expect(Sys.Unlink("/dev/null"), -Errno.EROFS, "unlink /dev/null");
        Expect(Sys.Unlink("/dev/missing"), -Errno.EROFS, "unlink a name /dev does not have");
        Expect(Sys.RemoveDirectory("/dev/zero"), -Errno.EROFS, "rmdir /dev/zero");
        Expect(Sys.RemoveDirectory("/dev"), -Errno.EBUSY, "rmdir /dev, a mount point");
        Expect(Sys.Rename("/dev/null", "/dev/void"), -Errno.EROFS, "rename inside /dev");
        Expect(Sys.Rename("/dev/null", root + "/null"), -Errno.EXDEV, "rename out of /dev");
        Touch(root + "/f", "data");
        Expect(Sys.Rename(root + "/f", "/dev/zero"), -Errno.EXDEV, "rename a file over /dev/zero");
        Expect(Sys.Rename("/dev", "/dev-moved"), -Errno.EBUSY, "rename /dev itself");
        Expect(Sys.Link("/dev/null", "/dev/null2"), -Errno.EROFS, "link inside /dev");
        Expect(Sys.Link("/dev/zero", "/dev/null"), -Errno.EEXIST, "link onto a device's name");
        Expect(Sys.Link("/dev/null", root + "/null"), -Errno.EXDEV, "link a device out of /dev");
        Expect(Sys.Link(root + "/f", "/dev/f"), -Errno.EXDEV, "link a file into /dev");
        Expect(Sys.SymbolicLink("/dev/null", "/dev/link"), -Errno.EROFS, "symlink in /dev");
        Expect(Sys.SymbolicLink("/dev/zero", root + "/zeros"), 0, "a symbolic link elsewhere to a device");
        long fd = Sys.Open(root + "/zeros", OpenFlags.ReadOnly);
        byte* one = stackalloc byte[1];
        one[0] = 7;
        Check(fd >= 0 && Sys.Read((int)fd, new Span<byte>(one, 1)) == 1 && one[0] == 0, "reading through the link reads zeros");
        Sys.Close((int)fd);
        Check(DeviceNames() == "console null tty zero ", "/dev is as it was after every refusal: " + DeviceNames());

        fd = Sys.Open("/dev/null", OpenFlags.ReadWrite);
        Expect(Sys.Truncate((int)fd, 0), -Errno.EINVAL, "ftruncate of /dev/null");
        Expect(Sys.Sync((int)fd), -Errno.EINVAL, "fsync of /dev/null");
        Expect(Sys.Seek((int)fd, 100, SeekFrom.Start), 0, "lseek on /dev/null succeeds and stays at 0");
        Expect(Sys.Seek((int)fd, 0, 7), -Errno.EINVAL, "an unknown whence on /dev/null");
        Sys.Close((int)fd);
        fd = Sys.Open("/dev/zero", OpenFlags.ReadWrite);
        Expect(Map(4 * Page, flags: MappingFlags.Private, descriptor: (int)fd), -Errno.ENODEV, "mmap of /dev/zero (TeachOS maps only files: the mmap lab)");
        Sys.Close((int)fd);
        Expect(Sys.Open("/dev", OpenFlags.WriteOnly), -Errno.EISDIR, "/dev opened for writing");
        Expect(Sys.Exec("/dev/zero", new[] { "zero" }), -Errno.EACCES, "exec of /dev/zero");
        Expect(Sys.Spawn("/dev/null", new[] { "null" }, 0, 1, 2), -Errno.EACCES, "spawn of /dev/null");
        Capture("/bin/rm", new[] { "rm", "-r", root }, out int unused);
    }

    // /dev/zero read with lengths far past the buffer the caller has: the kernel copies out in chunks of
    // its own stack buffer (kernel/Syscalls/FileSyscalls.cs), so no length makes it allocate more.
    private static void DeviceHugeReads()
    {
        long fd = Sys.Open("/dev/zero", OpenFlags.ReadOnly);
        const int Size = 8192;
        byte* buffer = stackalloc byte[Size + 16];
        for (int i = 0; i < Size + 16; i++) buffer[i] = 0xAA;
        long read = Sys.Call(SyscallNumbers.Read, (ulong)fd, (ulong)buffer, Size);
        Check(read > 0 && read <= Size, "a read of 8 KiB returns some of it: " + read);
        bool guarded = true;
        for (int i = (int)read; i < Size + 16; i++) guarded &= buffer[i] == 0xAA;
        Check(guarded, "nothing past what read says it wrote is touched");

        // A terabyte claimed over a lazily mapped 64 MiB: a read returns what fits one chunk, and only
        // the pages it writes get frames.
        long region = Map(64UL << 20);
        read = Sys.Call(SyscallNumbers.Read, (ulong)fd, (ulong)region, 1UL << 40);
        Check(read > 0 && read <= 64L << 20, "a read of 1 TiB into a 64 MiB mapping returns a bounded count: " + read);
        long total = 0;
        for (int i = 0; i < 2048 && total < (16L << 20); i++)
        {
            long got = Sys.Call(SyscallNumbers.Read, (ulong)fd, (ulong)region + (ulong)total, (ulong)((64L << 20) - total));
            if (got <= 0) break;
            total += got;
        }
        Check(total >= 8L << 20, "reads of the rest go on, megabytes of zeros: " + total + " bytes");
        Expect(Sys.UnmapMemory((ulong)region, 64UL << 20), 0, "munmap");

        Expect(Sys.Call(SyscallNumbers.Read, (ulong)fd, EndOfUserSpace - 16, 4096), -Errno.EFAULT, "a read across the end of user space");
        Expect(Sys.Call(SyscallNumbers.Read, (ulong)fd, KernelAddress, 4096), -Errno.EFAULT, "a read into kernel memory");
        Expect(Sys.Call(SyscallNumbers.Read, (ulong)fd, ReadOnlyCode, 64), -Errno.EFAULT, "a read over the program's code");
        Expect(Sys.Call(SyscallNumbers.Read, (ulong)fd, UnmappedAddress, 64), -Errno.EFAULT, "a read into unmapped memory");
        Check(ReadOnlyCodeIsIntact, "the code is unchanged");
        Expect(Sys.Call(SyscallNumbers.Read, (ulong)fd, (ulong)buffer, ulong.MaxValue), -Errno.EFAULT, "a length that wraps round");
        Sys.Close((int)fd);
    }

    // The names readdir gives for /dev, each followed by a space; a kind other than a device shows as "?".
    private static string DeviceNames()
    {
        long fd = Sys.Open("/dev", OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0) return Sys.ErrorName(fd);
        string names = "";
        for (int index = 0; Sys.ReadDirectory((int)fd, index, out DirectoryEntry entry) == 1; index++)
            names += (entry.Kind == KindCharacterDevice ? string.FromAscii(entry.Name, entry.NameLength) : "?") + " ";
        Sys.Close((int)fd);
        return names;
    }

    // `echo hi > PATH`, as the shell does it: echo spawned with its standard output on PATH; its exit status.
    private static long RunEchoWithOutputOn(string path)
    {
        long fd = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (fd < 0) return fd;
        long pid = Sys.Spawn("/bin/echo", new[] { "echo", "hi" }, Console.StandardInput, (int)fd, Console.StandardError);
        Sys.Close((int)fd);
        if (pid < 0) return pid;
        Sys.Wait((int)pid, out int status);
        return status;
    }
}
