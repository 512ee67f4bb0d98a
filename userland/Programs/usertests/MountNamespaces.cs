using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests: the mount namespace and the mount calls (kernel/Fs/Vfs/MountNamespace.cs, MountOperations.cs).
/// Each case mounts only inside a child that first unshares its mount namespace, so nothing it mounts can
/// reach the other tests, and the namespace's end (the child's exit) is itself under test: its tmpfs must
/// give every frame back.
/// </summary>
public static unsafe partial class UserTests
{
    private const string MountPoint = "/ut-mnt", BindSource = "/ut-src", BindTarget = "/ut-dst";

    // Runs body in a child that has a mount namespace of its own; the child's failed checks are its status.
    private static void InNewMountNamespace(delegate*<void> body, string what)
    {
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Expect(Sys.Unshare(NamespaceFlags.Mount), 0, "unshare(CLONE_NEWNS)");
            body();
            Sys.Exit(Failures);
        }
        Expect(pid > 0 ? 0 : pid, 0, "fork for " + what);
        if (pid > 0) Expect(WaitFor(pid), 0, what + ": the child's failed checks");
    }

    // The free frames, waited for: a dead child's kernel stack is freed at a later system call (Mem/KernelStack.cs).
    private static long FreeFramesAtLeast(long expected)
    {
        IpcUsage now = Usage();
        for (int tries = 0; tries < 100 && now.FreeFrames < expected; tries++)
        {
            Sys.Sleep(10);
            now = Usage();
        }
        return now.FreeFrames;
    }

    // True if the caller's namespace lists a mount at target.
    private static bool Listed(string target)
    {
        for (int index = 0; Sys.ReadMount(index, out MountInfo info) == 1; index++)
            if (string.FromAscii(info.Target, info.TargetLength) == target) return true;
        return false;
    }

    private static bool Exists(string path) => Sys.PathStatus(path, out FileStatus unused) == 0;

    private static ulong InodeOf(string path) => Sys.PathStatus(path, out FileStatus status) == 0 ? status.Inode : 0;

    private static void MountNamespaceIsolation()
    {
        Sys.MakeDirectory(MountPoint);
        IpcUsage before = Usage();
        InNewMountNamespace(&TmpfsInside, "a tmpfs inside a new mount namespace");
        Expect(Sys.Open(MountPoint + "/inside", OpenFlags.ReadOnly), -Errno.ENOENT, "outside, the file written on the child's tmpfs is not there");
        Check(!Listed(MountPoint), "outside, the mount is not listed");
        long after = FreeFramesAtLeast(before.FreeFrames - 2);
        Check(after >= before.FreeFrames - 2, "the namespace's end freed its tmpfs: " + before.FreeFrames + " frames free before, " + after + " after");
        Check(Usage().KernelHeapBytes <= before.KernelHeapBytes + 256, "and its kernel memory: heap " + before.KernelHeapBytes + " bytes before, " + Usage().KernelHeapBytes + " after");
        Expect(Sys.RemoveDirectory(MountPoint), 0, "the mount point is an ordinary directory again outside");
    }

    private static void TmpfsInside()
    {
        Expect(Sys.Mount("none", MountPoint, "tmpfs", 0, ""), 0, "mount -t tmpfs none " + MountPoint);
        Check(Listed(MountPoint), "inside, it is listed");
        byte[] chunk = new byte[4096];
        long file = Sys.Open(MountPoint + "/inside", OpenFlags.WriteOnly | OpenFlags.Create);
        Check(file >= 0, "a file on the tmpfs");
        for (int i = 0; i < 32; i++) Sys.Write((int)file, chunk);         // 128 KiB: frames the namespace's end must free
        Sys.Close((int)file);
        Expect(Sys.PathStatus(MountPoint + "/inside", out FileStatus status), 0, "it is there");
        Expect(status.Size, 32 * 4096, "with its bytes");
        Expect(Sys.PathStatus(MountPoint, out FileStatus root), 0, "the tmpfs root");
        Expect(root.Mode, 0x3FF, "is 1777, like /tmp");
        Expect((long)InodeOf(MountPoint + "/.."), (long)InodeOf("/"), "its .. is / (the mount point's parent)");
    }

    private static void BindMounts()
    {
        Sys.MakeDirectory(BindSource);
        Sys.MakeDirectory(BindTarget);
        Expect(Files.WriteAllText(BindSource + "/file", "original"), 0, "a file in the source");
        InNewMountNamespace(&BindInside, "bind mounts");
        Check(Files.ReadAllText(BindSource + "/file", out long error) == "through the bind", "the write through the bind changed the source's file");
        Expect(Sys.Open(BindTarget + "/file", OpenFlags.ReadOnly), -Errno.ENOENT, "outside, the target is still empty");
        Sys.Unlink(BindSource + "/file");
        Sys.Unlink(BindSource + "/made");
        Expect(Sys.RemoveDirectory(BindSource), 0, "cleanup " + BindSource);
        Expect(Sys.RemoveDirectory(BindTarget), 0, "cleanup " + BindTarget);
    }

    private static void BindInside()
    {
        Expect(Sys.Mount(BindSource, BindTarget, "", MountFlags.Bind, ""), 0, "mount --bind " + BindSource + " " + BindTarget);
        Check(Files.ReadAllText(BindTarget + "/file", out long error) == "original", "the same file is seen at the second place");
        Expect(Files.WriteAllText(BindTarget + "/file", "through the bind"), 0, "written there");
        Check(Files.ReadAllText(BindSource + "/file", out error) == "through the bind", "and read at the first");
        Expect((long)InodeOf(BindTarget + "/file"), (long)InodeOf(BindSource + "/file"), "one inode");
        Expect((long)InodeOf(BindTarget + "/.."), (long)InodeOf("/"), ".. of the bind's root is where it is mounted");
        Expect(Sys.Link(BindSource + "/file", BindTarget + "/hard"), -Errno.EXDEV, "a hard link across the two mounts");

        // Read-only: the same directory once more, every change refused, reads allowed.
        Sys.MakeDirectory("/ut-ro");
        Expect(Sys.Mount(BindSource, "/ut-ro", "", MountFlags.Bind | MountFlags.ReadOnly, ""), 0, "mount --bind -o ro");
        Check(Files.ReadAllText("/ut-ro/file", out error) == "through the bind", "read through the read-only view");
        Expect(Sys.Open("/ut-ro/file", OpenFlags.WriteOnly), -Errno.EROFS, "open for writing");
        Expect(Sys.Open("/ut-ro/file", OpenFlags.ReadOnly | OpenFlags.Truncate), -Errno.EROFS, "open with O_TRUNC");
        Expect(Sys.Open("/ut-ro/new", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.EROFS, "create");
        Expect(Sys.MakeDirectory("/ut-ro/dir"), -Errno.EROFS, "mkdir");
        Expect(Sys.Unlink("/ut-ro/file"), -Errno.EROFS, "unlink");
        Expect(Sys.ChangeMode("/ut-ro/file", 0x1FF), -Errno.EROFS, "chmod");
        Expect(Files.WriteAllText(BindTarget + "/made", "rw"), 0, "the writable view still writes");
        Check(Listed("/ut-ro"), "listed");
        Expect(Sys.Unmount("/ut-ro"), 0, "umount the read-only view");
        Expect(Sys.RemoveDirectory("/ut-ro"), 0, "its mount point removed");
    }

    private static void UnmountBusy()
    {
        Sys.MakeDirectory(MountPoint);
        InNewMountNamespace(&UnmountBusyInside, "umount's refusals");
        Expect(Sys.RemoveDirectory(MountPoint), 0, "cleanup " + MountPoint);
    }

    private static void UnmountBusyInside()
    {
        Expect(Sys.Mount("none", MountPoint, "tmpfs", 0, ""), 0, "mount a tmpfs");
        long file = Sys.Open(MountPoint + "/open", OpenFlags.WriteOnly | OpenFlags.Create);
        Expect(Sys.Unmount(MountPoint), -Errno.EBUSY, "umount with a file open on it");
        Sys.Close((int)file);
        Expect(Sys.ChangeDirectory(MountPoint), 0, "cd into it");
        Expect(Sys.Unmount(MountPoint), -Errno.EBUSY, "umount with the current directory in it");
        Expect(Sys.ChangeDirectory("/"), 0, "cd /");
        Expect(Sys.MakeDirectory(MountPoint + "/sub"), 0, "a directory on the tmpfs");
        Expect(Sys.Mount("none", MountPoint + "/sub", "tmpfs", 0, ""), 0, "a second tmpfs on it");
        Expect(Sys.Mount("none", MountPoint + "/sub", "tmpfs", 0, ""), -Errno.EBUSY, "a third on the same place");
        Expect(Sys.Unmount(MountPoint), -Errno.EBUSY, "umount with a mount below");
        Expect(Sys.RemoveDirectory(MountPoint + "/sub"), -Errno.EBUSY, "rmdir of a mount point");
        Expect(Sys.Unmount(MountPoint + "/sub"), 0, "umount the lower one");
        Expect(Sys.Unmount(MountPoint), 0, "then the upper one");
        Expect(Sys.Unmount(MountPoint), -Errno.EINVAL, "umount of a directory that is no mount point");
        Expect(Sys.Unmount("/"), -Errno.EBUSY, "umount /");
        Expect(Sys.Unmount("/no-such"), -Errno.ENOENT, "umount of nothing");
        Expect(Sys.Mount("none", MountPoint, "no-such-fs", 0, ""), -Errno.ENODEV, "an unknown type");
        Expect(Sys.Mount("none", "/etc/motd", "tmpfs", 0, ""), -Errno.ENOTDIR, "a mount over a file");
        Expect(Sys.Mount("/etc/motd", MountPoint, "", MountFlags.Bind, ""), -Errno.ENOTDIR, "a bind of a file");
        Expect(Sys.Mount("none", MountPoint, "tmpfs", 0x40, ""), -Errno.EINVAL, "an unknown flag");
    }

    private static void PivotRootIntoADirectory()
    {
        Sys.MakeDirectory(MountPoint);
        InNewMountNamespace(&PivotRootInside, "pivot_root");
        Check(Exists("/bin/true"), "outside, / is as it was");
        Expect(Sys.RemoveDirectory(MountPoint), 0, "cleanup " + MountPoint);
    }

    private static void PivotRootInside()
    {
        Expect(Sys.PivotRoot(MountPoint, MountPoint), -Errno.EINVAL, "pivot_root to a directory that is no mount point");
        Expect(Sys.Mount("none", MountPoint, "tmpfs", 0, ""), 0, "a tmpfs as the new root");
        Expect(Sys.MakeDirectory(MountPoint + "/old"), 0, "with a place for the old root");
        Expect(Files.WriteAllText(MountPoint + "/hello", "new root"), 0, "and a file");
        Expect(Sys.PivotRoot(MountPoint, "/etc"), -Errno.EINVAL, "put_old outside the new root");
        Expect(Sys.PivotRoot("/", MountPoint + "/old"), -Errno.EBUSY, "the current root as the new one");
        Expect(Sys.PivotRoot(MountPoint, MountPoint), -Errno.EBUSY, "put_old is the new root (a mount point)");
        Expect(Sys.ChangeDirectory(MountPoint), 0, "cd to the new root");
        Expect(Sys.PivotRoot(".", "old"), 0, "pivot_root . old");
        Expect(Sys.ChangeDirectory("/"), 0, "cd /");
        Check(Files.ReadAllText("/hello", out long error) == "new root", "/ is the tmpfs now");
        Check(Exists("/old/bin/true"), "the old root is at /old");
        // Unmount everything mounted under the old root (deepest last in the list: unmount from the end), then it.
        for (int index = 64; index >= 0; index--)
        {
            if (Sys.ReadMount(index, out MountInfo info) != 1) continue;
            string target = string.FromAscii(info.Target, info.TargetLength);
            if (target.StartsWith("/old/")) Expect(Sys.Unmount(target), 0, "umount " + target);
        }
        Expect(Sys.Unmount("/old"), 0, "umount /old");
        Check(!Exists("/old/bin/true"), "the old tree is gone");
        Check(!Exists("/bin/true"), "and / holds only the new tree");
        Expect((long)InodeOf("/.."), (long)InodeOf("/"), "/.. is /");
        Check(Listed("/") && !Listed("/old"), "the list shows the new root alone");
    }

    private static void SetNamespacesJoinsUts()
    {
        Expect(Sys.Pipe(out PipeDescriptors pipe), 0, "a pipe the holder waits on");
        int readEnd = pipe.Read, writeEnd = pipe.Write;
        long holder = Sys.Fork();
        if (holder == 0)
        {
            Sys.Close(writeEnd);
            if (Sys.Unshare(NamespaceFlags.Uts | NamespaceFlags.Mount) != 0 || HostName.Set("ut-joined") != 0) Sys.Exit(1);
            byte* one = stackalloc byte[1];
            Sys.Read(readEnd, new Span<byte>(one, 1));                 // waits for the parent's word (end of file)
            Sys.Exit(0);
        }
        Sys.Close(readEnd);
        for (int tries = 0; tries < 200 && !HolderRenamed(holder); tries++) Sys.Sleep(5);
        long joiner = Sys.Fork();
        if (joiner == 0)
        {
            Expect(Sys.SetNamespaces((int)holder, NamespaceFlags.Uts), 0, "setns into the holder's UTS namespace");
            Check(HostName.Get() == "ut-joined", "its host name is the joiner's now");
            Expect(Sys.SetNamespaces((int)holder, NamespaceFlags.User), -Errno.EINVAL, "setns(CLONE_NEWUSER) is refused");
            Expect(Sys.SetUserId(1000), 0, "become an ordinary user");
            Expect(Sys.SetNamespaces((int)holder, NamespaceFlags.Uts), -Errno.EPERM, "an ordinary user may not join");
            Sys.Exit(Failures);
        }
        Expect(WaitFor(joiner), 0, "the joiner's failed checks");
        Check(HostName.Get() != "ut-joined", "the parent's host name is its own");
        Expect(Sys.SetNamespaces(99999, 0), -Errno.ESRCH, "setns to no process");
        Sys.Close(writeEnd);
        Expect(WaitFor(holder), 0, "the holder ends");
    }

    // The holder has renamed its UTS namespace once a process that joins it sees the new name.
    private static bool HolderRenamed(long holder)
    {
        long probe = Sys.Fork();
        if (probe == 0) Sys.Exit(Sys.SetNamespaces((int)holder, NamespaceFlags.Uts) == 0 && HostName.Get() == "ut-joined" ? 0 : 1);
        return WaitFor(probe) == 0;
    }
}
