using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// hostile: the mount calls (kernel/Fs/Vfs/MountOperations.cs) against bad pointers, callers without the right,
/// bind mounts arranged in loops, and a mount namespace whose last process is killed while its mounts hold
/// files: each ends in an error code, a finite walk, or every frame back.
/// </summary>
public static unsafe partial class HostileTests
{
    private static void MountWithBadPointers()
    {
        byte* text = stackalloc byte[16];
        Sys.ToAscii("/tmp", text, 16);
        ulong good = (ulong)text;
        ulong readOnly = ReadOnlyCode;
        Expect(Sys.Call(SyscallNumbers.Mount, 0, good, good, 0, good), -Errno.EFAULT, "mount with a null source");
        Expect(Sys.Call(SyscallNumbers.Mount, good, KernelAddress, good, 0, good), -Errno.EFAULT, "mount with a target in kernel memory");
        Expect(Sys.Call(SyscallNumbers.Mount, good, good, UnmappedAddress, 0, good), -Errno.EFAULT, "mount with an unmapped type");
        Expect(Sys.Call(SyscallNumbers.Mount, good, good, good, 0, EndOfUserSpace - 1), -Errno.EFAULT, "mount with data at the end of user space");
        Expect(Sys.Call(SyscallNumbers.Unmount, 0), -Errno.EFAULT, "umount with a null path");
        Expect(Sys.Call(SyscallNumbers.PivotRoot, good, KernelAddress), -Errno.EFAULT, "pivot_root with put_old in kernel memory");
        Expect(Sys.Call(SyscallNumbers.ReadMount, 0, readOnly), -Errno.EFAULT, "the mount list into read-only memory");
        Check(ReadOnlyCodeIsIntact, "the read-only code is unchanged");
        Expect(Sys.Call(SyscallNumbers.ReadMount, 0, KernelAddress), -Errno.EFAULT, "the mount list into kernel memory");
        Expect(Sys.ReadMount(-1, out MountInfo info), 0, "a negative index is past the end");
    }

    private static void MountByAnOrdinaryUser()
    {
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Expect(Sys.SetUserId(1000), 0, "become uid 1000");
            Expect(Sys.Mount("none", "/tmp", "tmpfs", 0, ""), -Errno.EPERM, "mount");
            Expect(Sys.Mount("/etc", "/tmp", "", MountFlags.Bind, ""), -Errno.EPERM, "mount --bind");
            Expect(Sys.Unmount("/dev"), -Errno.EPERM, "umount /dev");
            Expect(Sys.PivotRoot("/dev", "/dev"), -Errno.EPERM, "pivot_root");
            Expect(Sys.Unshare(NamespaceFlags.Mount), -Errno.EPERM, "unshare(CLONE_NEWNS)");
            // Root of a user namespace of one's own is no root of the mount table everyone shares.
            Expect(Sys.Unshare(NamespaceFlags.User | NamespaceFlags.Mount), 0, "unshare(CLONE_NEWUSER | CLONE_NEWNS)");
            Expect(Sys.WriteIdMap(0, IdMapKind.Users, 0, 1000, 1), 0, "map root inside to 1000");
            Expect(Sys.Mount("none", "/tmp", "tmpfs", 0, ""), -Errno.EPERM, "root of a user namespace mounts nothing");
            Sys.Exit(Failures);
        }
        Expect(WaitFor(pid), 0, "an ordinary user's mount calls were refused (the child's failed checks)");
    }

    private static void BindMountLoops()
    {
        Sys.MakeDirectory("/ut-loop");
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Expect(Sys.Unshare(NamespaceFlags.Mount), 0, "unshare(CLONE_NEWNS)");
            Expect(Sys.Mount("/", "/ut-loop", "", MountFlags.Bind, ""), 0, "bind / into a directory of itself");
            Check(Sys.PathStatus("/ut-loop/bin/true", out FileStatus status) == 0, "the root's files are seen there");
            Expect(Sys.Mount("/ut-loop", "/ut-loop/ut-loop", "", MountFlags.Bind, ""), 0, "and that view into itself once more");
            // A bind mount does not carry the mounts below its source (Linux's MS_BIND without MS_REC): each
            // level deeper is a plain directory again, so the path ends instead of going round for ever.
            string path = "/ut-loop";
            int depth = 0;
            while (depth < 100 && Sys.PathStatus(path + "/ut-loop", out status) == 0) { path += "/ut-loop"; depth++; }
            Check(depth < 100, "a walk down the loop ends (" + depth + " levels)");
            Expect(Sys.Unmount("/ut-loop"), -Errno.EBUSY, "the outer view while the inner one sits on it");
            Expect(Sys.Unmount("/ut-loop/ut-loop"), 0, "the inner view");
            Expect(Sys.Unmount("/ut-loop"), 0, "the outer view");
            Expect(Sys.Mount("/ut-loop", "/ut-loop", "", MountFlags.Bind, ""), 0, "a directory bound onto itself");
            Expect(Sys.Mount("/ut-loop", "/ut-loop", "", MountFlags.Bind, ""), -Errno.EBUSY, "twice");
            Sys.Exit(Failures);
        }
        Expect(WaitFor(pid), 0, "bind mounts in loops (the child's failed checks)");
        Expect(Sys.RemoveDirectory("/ut-loop"), 0, "the directory is free again outside");
    }

    private static void MountNamespaceKilledWithMounts()
    {
        Sys.MakeDirectory("/ut-kill");
        Sys.IpcUsage(out IpcUsage before);
        Expect(Sys.Pipe(out PipeDescriptors ready), 0, "a pipe for the child's word");
        long pid = Sys.Fork();
        if (pid == 0)
        {
            if (Sys.Unshare(NamespaceFlags.Mount) != 0 || Sys.Mount("none", "/ut-kill", "tmpfs", 0, "") != 0) Sys.Exit(1);
            Sys.MakeDirectory("/ut-kill/bound");
            Sys.Mount("/etc", "/ut-kill/bound", "", MountFlags.Bind, "");
            long file = Sys.Open("/ut-kill/data", OpenFlags.WriteOnly | OpenFlags.Create);
            byte[] chunk = new byte[4096];
            for (int i = 0; i < 64; i++) Sys.Write((int)file, chunk);      // 256 KiB, held open
            Sys.ChangeDirectory("/ut-kill/bound");
            Sys.Write(ready.Write, new ReadOnlySpan<byte>(chunk, 0, 1));
            while (true) Sys.Sleep(1000);
        }
        Sys.Close(ready.Write);
        byte* word = stackalloc byte[1];
        Expect(Sys.Read(ready.Read, new Span<byte>(word, 1)), 1, "the child mounted and filled its tmpfs");
        Sys.Close(ready.Read);
        Expect(Sys.Kill((int)pid), 0, "kill the namespace's only process");
        WaitFor(pid);
        Sys.IpcUsage(out IpcUsage after);
        for (int tries = 0; tries < 100 && after.FreeFrames < before.FreeFrames - 2; tries++)
        {
            Sys.Sleep(10);
            Sys.IpcUsage(out after);
        }
        Check(after.FreeFrames >= before.FreeFrames - 2, "every frame came back: " + before.FreeFrames + " free before, " + after.FreeFrames + " after");
        Check(after.KernelHeapBytes <= before.KernelHeapBytes + 256, "and the kernel heap: " + before.KernelHeapBytes + " bytes before, " + after.KernelHeapBytes + " after");
        Expect(Sys.RemoveDirectory("/ut-kill"), 0, "the mount point is free outside");
    }
}
