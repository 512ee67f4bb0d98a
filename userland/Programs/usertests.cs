using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// usertests [NAME...]: the system-call test suite, run as a user program (tests/Integration runs it
/// with init=/bin/usertests on one, two and four CPUs). Each test checks a syscall's success and its
/// error paths from ring 3, through both entries: every kind of bad pointer gets -EFAULT, and a
/// fault kills only the program that made it. Threads, scheduling and CPUs are threadtests' subject.
/// TestSuite (userland/Lib/TestSuite.cs) runs the tests and prints "usertests: N passed, M failed";
/// the exit status is M. `leak` (1,000 processes) and `fork-leak` (2,000) run only when named.
/// The tests of fork and exec are in usertests/Fork.cs and usertests/Exec.cs, of the lazy heap in usertests/Lazy.cs,
/// of mmap in usertests/Mappings.cs, memorymap's in usertests/MemoryMap.cs, of the file tree (paths, links,
/// rename, chdir, seeks) in usertests/Paths.cs and usertests/PathErrors.cs, of the disk file system in
/// usertests/DiskFiles.cs, DiskRaces.cs (several processes at once) and DiskDirectories.cs (a program's file
/// and its folder are one program), of message queues and namespaces in usertests/MessageQueues.cs and Namespaces.cs (mount namespaces and the mount calls in MountNamespaces.cs), of the device files in /dev in usertests/Devices.cs,
/// of container images (ctr images) in usertests/ContainerImages.cs, of the control groups in /sys/fs/cgroup in usertests/Cgroups.cs (their CPU limits in usertests/CgroupCpu.cs, the OOM kill in usertests/CgroupOom.cs).
/// </summary>
public static unsafe partial class UserTests
{
    private static UserTest[] All() => new[]
    {
        new UserTest { Name = "getpid", Body = &GetPid },
        new UserTest { Name = "files", Body = &FileRoundTrip },
        new UserTest { Name = "errors", Body = &ErrorPaths },
        new UserTest { Name = "bad-pointers", Body = &BadPointers },
        new UserTest { Name = "int80", Body = &InterruptGateEntry },
        new UserTest { Name = "pipes", Body = &Pipes },
        new UserTest { Name = "argv", Body = &ArgumentsReachTheChild },
        new UserTest { Name = "exit-status", Body = &ExitStatus },
        new UserTest { Name = "faults", Body = &FaultsKillOnlyTheFaulter },
        // fork and exec: usertests/Fork.cs, usertests/Exec.cs
        new UserTest { Name = "fork", Body = &ForkResults },
        new UserTest { Name = "fork-memory", Body = &ForkCopiesMemory },
        new UserTest { Name = "fork-files", Body = &ForkSharesDescriptors },
        new UserTest { Name = "fork-big", Body = &ForkOfABigProcess },
        new UserTest { Name = "forkfork", Body = &ForkFork },
        new UserTest { Name = "forkforkfork", Body = &ForkForkFork },
        new UserTest { Name = "fork-bomb", Body = &ForkBomb },
        new UserTest { Name = "fork-threads", Body = &ForkCopiesOnlyTheCaller },
        new UserTest { Name = "fork-page-edges", Body = &ForkPageEdges },
        new UserTest { Name = "exec-errors", Body = &ExecRefusals },
        new UserTest { Name = "exec-args", Body = &ExecWithArguments },
        new UserTest { Name = "exec-env", Body = &ExecWithAnEnvironment },
        new UserTest { Name = "orphans", Body = &OrphansGoToInit },
        new UserTest { Name = "memorymap", Body = &MemoryMapView },
        new UserTest { Name = "fork-leak", Body = &ForkAThousand, OnlyWhenNamed = true },
        // the lazy heap: usertests/Lazy.cs
        new UserTest { Name = "lazy-sbrk", Body = &LazySbrk },
        new UserTest { Name = "lazy-faults", Body = &LazyFaults },
        new UserTest { Name = "lazy-kernel-copies", Body = &LazyKernelCopies },
        new UserTest { Name = "lazy-fork", Body = &LazyFork },
        new UserTest { Name = "lazy-threads", Body = &LazyThreads },
        // mmap and munmap: usertests/Mappings.cs
        new UserTest { Name = "mmap", Body = &MapAnonymous },
        new UserTest { Name = "mmap-partial", Body = &MapPartialUnmap },
        new UserTest { Name = "mmap-fork", Body = &MapFork },
        new UserTest { Name = "mmap-refusals", Body = &MapRefusals },
        // the file tree: usertests/Paths.cs, usertests/PathErrors.cs
        new UserTest { Name = "dirs", Body = &Directories },
        new UserTest { Name = "cwd", Body = &CurrentDirectory },
        new UserTest { Name = "hard-links", Body = &HardLinks },
        new UserTest { Name = "unlink-open", Body = &UnlinkOpenFile },
        new UserTest { Name = "rename", Body = &Renames },
        new UserTest { Name = "symlinks", Body = &SymbolicLinks },
        new UserTest { Name = "seek-truncate", Body = &SeekTruncateSync },
        new UserTest { Name = "open-flags", Body = &OpenFlagSemantics },
        new UserTest { Name = "path-bad-pointers", Body = &PathBadPointers },
        new UserTest { Name = "concurrent-create", Body = &ConcurrentCreate },
        // the disk file system at /disk: usertests/DiskFiles.cs (skipped without a disk)
        new UserTest { Name = "disk-files", Body = &DiskCreateWriteRead },
        new UserTest { Name = "disk-bigfile", Body = &DiskBigFile },
        new UserTest { Name = "disk-hugefile", Body = &DiskHugeFile, OnlyWhenNamed = true },     // 64 MiB: minutes
        new UserTest { Name = "disk-bigdir", Body = &DiskBigDirectory },
        new UserTest { Name = "disk-createdelete", Body = &DiskCreateDelete },
        new UserTest { Name = "disk-unlink-open", Body = &DiskUnlinkOpenFile },
        new UserTest { Name = "disk-links", Body = &DiskLinksAndRename },
        new UserTest { Name = "disk-paths", Body = &DiskPathTests },
        // several processes at once, and directories: usertests/DiskRaces.cs, usertests/DiskDirectories.cs
        new UserTest { Name = "disk-createdelete4", Body = &DiskCreateDeleteFour },
        new UserTest { Name = "disk-excl-race", Body = &DiskConcurrentExclusiveCreate },
        new UserTest { Name = "disk-linkunlink", Body = &DiskLinkUnlinkRace },
        new UserTest { Name = "disk-fourfiles", Body = &DiskFourFiles },
        new UserTest { Name = "disk-sharedfd", Body = &DiskSharedDescriptor },
        new UserTest { Name = "disk-dirfile", Body = &DiskFileAsDirectory },
        new UserTest { Name = "disk-iref", Body = &DiskInodeReferences },
        new UserTest { Name = "disk-full", Body = &DiskFull, OnlyWhenNamed = true },     // fills the whole disk: a small one
        new UserTest { Name = "disk-out-of-inodes", Body = &DiskOutOfInodes, OnlyWhenNamed = true },
        new UserTest { Name = "disk-persist-write", Body = &DiskPersistWrite, OnlyWhenNamed = true },
        new UserTest { Name = "disk-persist-read", Body = &DiskPersistRead, OnlyWhenNamed = true },
        new UserTest { Name = "disk-kill-sleeper", Body = &DiskKillWhileWaiting, OnlyWhenNamed = true },   // usertests/DiskKills.cs
        // the device files in /dev: usertests/Devices.cs
        new UserTest { Name = "devices", Body = &DeviceFiles },
        new UserTest { Name = "dev-refusals", Body = &DeviceRefusals },
        new UserTest { Name = "dev-zero-huge", Body = &DeviceHugeReads },
        // message queues and namespaces: usertests/MessageQueues.cs, usertests/Namespaces.cs
        new UserTest { Name = "mq", Body = &MessageQueueBasics },
        new UserTest { Name = "mq-refusals", Body = &MessageQueueRefusals },
        new UserTest { Name = "mq-blocking", Body = &MessageQueueBlocking },
        new UserTest { Name = "mq-kill", Body = &MessageQueueKilledReceiver },
        new UserTest { Name = "mq-limits", Body = &MessageQueueLimitsMet },
        new UserTest { Name = "mq-descriptors", Body = &MessageQueueDescriptors },
        new UserTest { Name = "unshare-flags", Body = &UnshareFlags },
        new UserTest { Name = "ipc-namespace", Body = &IpcNamespaceIsolation },
        new UserTest { Name = "unshare-program", Body = &UnshareProgramRuns },
        // the user namespace: usertests/UserNamespaces.cs
        new UserTest { Name = "userns", Body = &UserNamespaceOfAUser },
        new UserTest { Name = "userns-parent-map", Body = &UserNamespaceMappedByParent },
        new UserTest { Name = "userns-probe", Body = &UserNamespaceProbe, OnlyWhenNamed = true },
        // PID and UTS namespaces: usertests/PidNamespaces.cs
        new UserTest { Name = "pidns", Body = &PidNamespaceInit },
        new UserTest { Name = "pidns-orphans", Body = &PidNamespaceOrphans },
        new UserTest { Name = "pidns-kill-init", Body = &PidNamespaceInitKilled },
        new UserTest { Name = "pidns-nesting", Body = &PidNamespaceNesting },
        new UserTest { Name = "utsns", Body = &UtsNamespaceIsolation },
        // container images, `ctr images`: usertests/ContainerImages.cs
        new UserTest { Name = "ctr-images", Body = &ContainerImageImport },
        new UserTest { Name = "ctr-image-refusals", Body = &ContainerImageRefusals },
        new UserTest { Name = "ctr-run", Body = &ContainerRunWritesItsOwnLayer },        // usertests/ContainerRuns.cs
        new UserTest { Name = "ctr-exec-stop-commit", Body = &ContainerExecStopCommit }, // usertests/ContainerLifecycle.cs
        // the mount namespace and the mount calls: usertests/MountNamespaces.cs
        new UserTest { Name = "mountns", Body = &MountNamespaceIsolation },
        new UserTest { Name = "mount-bind", Body = &BindMounts },
        new UserTest { Name = "umount-busy", Body = &UnmountBusy },
        new UserTest { Name = "pivot-root", Body = &PivotRootIntoADirectory },
        new UserTest { Name = "setns-uts", Body = &SetNamespacesJoinsUts },
        // control groups in /sys/fs/cgroup: usertests/Cgroups.cs
        new UserTest { Name = "cgroup-files", Body = &CgroupFiles },
        new UserTest { Name = "cgroup-hostile", Body = &CgroupHostileWrites },
        new UserTest { Name = "cgroup-pids", Body = &CgroupForkBomb },
        new UserTest { Name = "cgroup-hierarchy", Body = &CgroupHierarchy },
        new UserTest { Name = "cgroup-memory", Body = &CgroupMemoryHog },
        new UserTest { Name = "cgroup-rmdir", Body = &CgroupRemoveBusy },
        new UserTest { Name = "cgroup-perm", Body = &CgroupPermissions },
        new UserTest { Name = "cgroup-cpu", Body = &CgroupCpuTime },
        // the CPU controller's limits: usertests/CgroupCpu.cs
        new UserTest { Name = "cgroup-cpumax", Body = &CgroupCpuMax },
        new UserTest { Name = "cgroup-cpumax-nested", Body = &CgroupCpuMaxNested },
        new UserTest { Name = "cgroup-cpumax-hostile", Body = &CgroupCpuMaxHostile },
        new UserTest { Name = "cgroup-cpuweight", Body = &CgroupCpuWeight },
        new UserTest { Name = "cgroup-cpuweight-hostile", Body = &CgroupCpuWeightHostile },
        new UserTest { Name = "cgroup-oom", Body = &CgroupOomKill },           // usertests/CgroupOom.cs
        new UserTest { Name = "cgroup-subtree", Body = &CgroupSubtreeControl }, // usertests/CgroupSubtree.cs
        new UserTest { Name = "cgroup-cpuset", Body = &CgroupCpuset },          // usertests/CgroupCpuset.cs
        // the io controller's limit on the disk: usertests/CgroupIo.cs
        new UserTest { Name = "cgroup-iomax", Body = &CgroupIoMax },
        new UserTest { Name = "cgroup-io-unlimited", Body = &CgroupIoUnlimited },
        new UserTest { Name = "cgroup-iomax-kill", Body = &CgroupIoMaxKill },
        new UserTest { Name = "cgroup-iomax-hostile", Body = &CgroupIoMaxHostile },
        // the overlay file system: usertests/Overlay.cs, usertests/OverlayHostile.cs
        new UserTest { Name = "overlay-layers", Body = &OverlayLayers },
        new UserTest { Name = "overlay-shared-lower", Body = &OverlaySharedLower },
        new UserTest { Name = "overlay-refusals", Body = &OverlayRefusals },
        new UserTest { Name = "overlay-whiteouts", Body = &OverlayManyWhiteouts },
        new UserTest { Name = "kill", Body = &KillASleeper },
        new UserTest { Name = "creds", Body = &CredentialIds },
        new UserTest { Name = "perm-files", Body = &FilePermissionChecks },
        new UserTest { Name = "perm-search", Body = &PathTraversal },
        new UserTest { Name = "perm-sticky", Body = &StickyDirectory },
        new UserTest { Name = "perm-kill", Body = &KillPermissions },
        new UserTest { Name = "perm-two-users", Body = &TwoUsers },
        new UserTest { Name = "perm-setuid", Body = &SetuidPrograms },
        new UserTest { Name = "perm-newfiles", Body = &NewFileAttributes },
        new UserTest { Name = "perm-disk", Body = &DiskPermissions },
        new UserTest { Name = "socket-tcp-echo", Body = &TcpEchoOverLoopback },
        new UserTest { Name = "socket-udp-echo", Body = &UdpEchoOverLoopback },
        new UserTest { Name = "socket-refusals", Body = &SocketRefusals },
        new UserTest { Name = "socket-flood", Body = &ConnectionFlood },
        new UserTest { Name = "socket-kill", Body = &KillWhileBlockedInSockets },
        new UserTest { Name = "socket-close-midway", Body = &CloseMidTransfer },
        // network namespaces, veth pairs, bridges: usertests/NetworkNamespaces.cs
        new UserTest { Name = "netns-loopback", Body = &NetworkNamespaceLoopback },
        new UserTest { Name = "netns-bridge-tcp", Body = &NetworkNamespacesOnABridge },
        new UserTest { Name = "netns-freed", Body = &NetworkNamespacesFreed },
        new UserTest { Name = "netns-heap", Body = &NetworkNamespacesGiveTheHeapBack, OnlyWhenNamed = true },   // a boot of its own
        new UserTest { Name = "netns-link-refusals", Body = &NetworkLinkRefusals },
        new UserTest { Name = "ctr-run-net", Body = &ContainerRunOnTheBridge },
        new UserTest { Name = "setuid-probe", Body = &SetuidProbe, OnlyWhenNamed = true },     // perm-setuid runs it
        new UserTest { Name = "sbrk", Body = &Sbrk },
        new UserTest { Name = "readdir", Body = &ReadDirectory },
        new UserTest { Name = "leak", Body = &SpawnAThousand, OnlyWhenNamed = true },
    };

    public static int Main(string[] args) => TestSuite.Run("usertests", All(), args);

    // ---- Helpers ----

    private static ReadOnlySpan<byte> Bytes(string text)
    {
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
        return bytes;
    }

    /// <summary>Runs a program with its stdout in a pipe; returns what it printed, and its exit status.</summary>
    private static string Capture(string path, string[] arguments, out int status)
    {
        Sys.Pipe(out PipeDescriptors pipe);
        long pid = Sys.Spawn(path, arguments, Console.StandardInput, pipe.Write, Console.StandardError);
        Sys.Close(pipe.Write);
        string output = Console.ReadAllFrom(pipe.Read);
        Sys.Close(pipe.Read);
        status = -1;
        if (pid > 0) Sys.Wait((int)pid, out status);
        return output;
    }

    // ---- The tests ----

    private static void GetPid()
    {
        long pid = Sys.GetPid();
        Check(pid > 0, "getpid is positive");
        Check(Sys.GetParentPid() >= 0, "getppid is not an error");
        string output = Capture("/bin/echo", new[] { "echo", "child" }, out int status);
        Expect(status, 0, "a child runs and exits 0");
        Check(output == "child\n", "the child printed its argument");
        Check(Sys.GetThreadId() > 0, "gettid is positive");
    }

    private static void FileRoundTrip()
    {
        string path = "/usertests.txt";
        long fd = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        Check(fd >= 3, "open with Create gives a new descriptor");
        Expect(Sys.Write((int)fd, Bytes("hello, ")), 7, "write returns the byte count");
        Expect(Sys.Close((int)fd), 0, "close");
        fd = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Append);
        Sys.Write((int)fd, Bytes("file"));
        Sys.Close((int)fd);
        fd = Sys.Open(path, OpenFlags.ReadOnly);
        Expect(Sys.FileStatus((int)fd, out FileStatus status), 0, "fstat");
        Expect(status.Kind, 1, "fstat says it is a file");
        Expect(status.Size, 11, "fstat gives the size");
        byte* buffer = stackalloc byte[32];
        Expect(Sys.Read((int)fd, new Span<byte>(buffer, 32)), 11, "read returns what is there");
        Check(string.FromAscii(buffer, 11) == "hello, file", "the bytes read are the bytes written (append went to the end)");
        Expect(Sys.Read((int)fd, new Span<byte>(buffer, 32)), 0, "read at the end returns 0");
        Sys.Close((int)fd);
        fd = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Truncate);
        Sys.Close((int)fd);
        fd = Sys.Open(path, OpenFlags.ReadOnly);
        Sys.FileStatus((int)fd, out status);
        Expect(status.Size, 0, "Truncate empties the file");
        Sys.Close((int)fd);
    }

    private static void ErrorPaths()
    {
        byte* buffer = stackalloc byte[8];
        Expect(Sys.Write(99, Bytes("x")), -Errno.EBADF, "write to a descriptor that is not open");
        Expect(Sys.Write(-1, Bytes("x")), -Errno.EBADF, "write to a negative descriptor");
        long fd = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        Expect(Sys.Write((int)fd, Bytes("x")), -Errno.EBADF, "write to a read-only descriptor");
        Sys.Close((int)fd);
        Expect(Sys.Close(99), -Errno.EBADF, "close a descriptor that is not open");
        Expect(Sys.Open("/no/such/file", OpenFlags.ReadOnly), -Errno.ENOENT, "open a missing file");
        Expect(Sys.Open("/bin", OpenFlags.WriteOnly), -Errno.EISDIR, "open a directory for writing");
        Expect(Sys.Open("/etc/motd", 3), -Errno.EINVAL, "open with an invalid access mode");
        Expect(Sys.Duplicate(99, 5), -Errno.EBADF, "dup2 from a closed descriptor");
        Expect(Sys.Duplicate(0, 1000), -Errno.EBADF, "dup2 to a descriptor out of range");
        Expect(Sys.FileStatus(77, out FileStatus unused), -Errno.EBADF, "fstat of a closed descriptor");
        fd = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        Expect(Sys.ReadDirectory((int)fd, 0, out DirectoryEntry entry), -Errno.ENOTDIR, "readdir of a file");
        Sys.Close((int)fd);
        Expect(Sys.Call(999), -Errno.ENOSYS, "an unknown syscall number");
        Expect(Sys.Call(-1), -Errno.ENOSYS, "a negative syscall number");
        Expect(Sys.Kill(99999), -Errno.ESRCH, "kill a process that does not exist");
        Expect(Sys.Wait(-1, out int status), -Errno.ECHILD, "wait with no children");
        Expect(Sys.Spawn("/no/such/program", new[] { "x" }, 0, 1, 2), -Errno.ENOENT, "spawn a missing program");
        Expect(Sys.Spawn("/etc/motd", new[] { "motd" }, 0, 1, 2), -Errno.EACCES, "spawn a file without an x bit (0644)");
        Expect(Files.WriteAllText("/usertests-text", "not a program\n"), 0, "a text file");
        Expect(Sys.ChangeMode("/usertests-text", FileMode.Program), 0, "with x bits");
        Expect(Sys.Spawn("/usertests-text", new[] { "text" }, 0, 1, 2), -Errno.ENOEXEC, "spawn something that is not a program");
        Sys.Unlink("/usertests-text");
        Expect(Sys.Spawn("/bin", new[] { "bin" }, 0, 1, 2), -Errno.EISDIR, "spawn a directory");
        Expect(Sys.Sleep(-5), -Errno.EINVAL, "sleep for a negative time");
        Expect(Sys.Sbrk(1L << 40), -Errno.ENOMEM, "sbrk beyond the heap limit");
        Expect(Sys.ThreadJoin(99999), -Errno.ESRCH, "join a thread that does not exist");
        Expect(Sys.Open(new string('a', 300), OpenFlags.ReadOnly), -Errno.ENAMETOOLONG, "a path longer than 255 bytes");
    }

    private static void BadPointers()
    {
        ulong readOnly = ReadOnlyCode;                          // program code: mapped, user, read-only
        Expect(Sys.Call(SyscallNumbers.Write, 1, 0, 10), -Errno.EFAULT, "write from a null pointer");
        Expect(Sys.Call(SyscallNumbers.Write, 1, KernelAddress, 10), -Errno.EFAULT, "write from a kernel address");
        Expect(Sys.Call(SyscallNumbers.Write, 1, UnmappedAddress, 10), -Errno.EFAULT, "write from an unmapped address");
        Expect(Sys.Call(SyscallNumbers.Write, 1, EndOfUserSpace - 16, 64), -Errno.EFAULT, "a buffer crossing the end of user space");
        Expect(Sys.Call(SyscallNumbers.Write, 1, ulong.MaxValue - 8, 64), -Errno.EFAULT, "a buffer that wraps around the address space");

        long fd = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        Expect(Sys.Call(SyscallNumbers.Read, (ulong)fd, readOnly, 16), -Errno.EFAULT, "read into a read-only buffer");
        Check(ReadOnlyCodeIsIntact, "the read-only code is unchanged");
        Expect(Sys.Call(SyscallNumbers.Read, (ulong)fd, KernelAddress, 16), -Errno.EFAULT, "read into kernel memory");
        Expect(Sys.Call(SyscallNumbers.Read, (ulong)fd, 0, 16), -Errno.EFAULT, "read into a null pointer");
        Expect(Sys.Call(SyscallNumbers.FileStatus, (ulong)fd, readOnly), -Errno.EFAULT, "fstat into read-only memory");
        Expect(Sys.Call(SyscallNumbers.FileStatus, (ulong)fd, KernelAddress), -Errno.EFAULT, "fstat into kernel memory");
        Sys.Close((int)fd);

        Expect(Sys.Call(SyscallNumbers.Open, 0, 0), -Errno.EFAULT, "open with a null path");
        Expect(Sys.Call(SyscallNumbers.Open, KernelAddress, 0), -Errno.EFAULT, "open with a path in kernel memory");
        Expect(Sys.Call(SyscallNumbers.Pipe, 0), -Errno.EFAULT, "pipe into a null pointer");
        Expect(Sys.Call(SyscallNumbers.Pipe, readOnly), -Errno.EFAULT, "pipe into read-only memory");
        Expect(Sys.Call(SyscallNumbers.Spawn, UnmappedAddress, 0), -Errno.EFAULT, "spawn with an unmapped path");
        byte* path = stackalloc byte[16];
        Sys.ToAscii("/bin/true", path, 16);
        Expect(Sys.Call(SyscallNumbers.Spawn, (ulong)path, KernelAddress), -Errno.EFAULT, "spawn with argv in kernel memory");
        Expect(Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 99), -Errno.EBADF, "spawn with a closed descriptor for stderr");
        Expect(Sys.Call(SyscallNumbers.ThreadInfo, 0, readOnly), -Errno.EFAULT, "threadinfo into read-only memory");

        long child = Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2);
        Expect(Sys.Call(SyscallNumbers.Wait, (ulong)child, readOnly), -Errno.EFAULT, "wait with a read-only status pointer");
        Sys.Wait(-1, out int unused);
    }

    private static void InterruptGateEntry()
    {
        long pidThroughSyscall = Sys.GetPid();
        Sys.UseInterruptGate = true;
        long pidThroughInt80 = Sys.GetPid();
        long written = Sys.Write(Console.StandardOutput, Bytes("  (written through int 0x80)\n"));
        long badFd = Sys.Write(99, Bytes("x"));
        long badPointer = Sys.Call(SyscallNumbers.Write, 1, KernelAddress, 4);
        long unknown = Sys.Call(999);
        Sys.UseInterruptGate = false;
        Expect(pidThroughInt80, pidThroughSyscall, "getpid is the same through both entries");
        Expect(written, 29, "write works through int 0x80");
        Expect(badFd, -Errno.EBADF, "errors come back through int 0x80 too");
        Expect(badPointer, -Errno.EFAULT, "bad pointers are caught through int 0x80 too");
        Expect(unknown, -Errno.ENOSYS, "unknown numbers through int 0x80");
    }

    private static void Pipes()
    {
        Expect(Sys.Pipe(out PipeDescriptors pipe), 0, "pipe");
        Check(pipe.Read != pipe.Write && pipe.Read >= 3, "two new descriptors");
        Expect(Sys.Write(pipe.Write, Bytes("ping")), 4, "write into the pipe");
        byte* buffer = stackalloc byte[16];
        Expect(Sys.Read(pipe.Read, new Span<byte>(buffer, 16)), 4, "read what was written");
        Check(string.FromAscii(buffer, 4) == "ping", "the same bytes");
        Expect(Sys.Read(pipe.Write, new Span<byte>(buffer, 16)), -Errno.EBADF, "read from the write end");
        Expect(Sys.Write(pipe.Read, Bytes("x")), -Errno.EBADF, "write to the read end");
        Sys.Close(pipe.Write);
        Expect(Sys.Read(pipe.Read, new Span<byte>(buffer, 16)), 0, "end of file once no writer is left");
        Sys.Close(pipe.Read);

        Sys.Pipe(out pipe);
        Sys.Close(pipe.Read);
        Expect(Sys.Write(pipe.Write, Bytes("x")), -Errno.EPIPE, "write with no reader left");
        Sys.Close(pipe.Write);

        // More than the pipe holds (4 KiB): a child reads while we write, so the writer must block and resume.
        string output = Capture("/bin/wc", new[] { "wc", "/etc/poem.txt" }, out int status);
        Expect(status, 0, "wc through a pipe");
        Check(output.Contains("141"), "wc counted the poem's bytes");
    }

    private static void ArgumentsReachTheChild()
    {
        string output = Capture("/bin/echo", new[] { "echo", "first", "second word", "3" }, out int status);
        Expect(status, 0, "echo exits 0");
        Check(output == "first second word 3\n", "argv arrives intact, spaces and all: got \"" + output + "\"");
        string many = Capture("/bin/echo", new[] { "echo", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" }, out status);
        Check(many == "a b c d e f g h i j\n", "ten arguments");
    }

    private static void ExitStatus()
    {
        Capture("/bin/true", new[] { "true" }, out int status);
        Expect(status, 0, "true exits 0");
        Capture("/bin/sleep", new[] { "sleep", "not-a-number" }, out status);
        Expect(status, 2, "a usage error exits 2");
        Capture("/bin/sh", new[] { "sh", "-c", "exit 42" }, out status);
        Expect(status, 42, "sh -c passes the status on");
    }

    private static void FaultsKillOnlyTheFaulter()
    {
        string[] kinds = { "divide", "null", "kernel-read", "cli", "hlt", "out", "ud2", "stack" };
        int[] statuses = { 136, 139, 139, 139, 139, 139, 132, 139 };
        for (int i = 0; i < kinds.Length; i++)
        {
            string output = Capture("/bin/fault", new[] { "fault", kinds[i] }, out int status);
            Expect(status, statuses[i], "fault " + kinds[i] + " is killed with its status");
            Check(!output.Contains("still running"), "fault " + kinds[i] + " did not get past the fault");
        }
        Check(Sys.GetPid() > 0, "and we are still running");
    }

    private static void KillASleeper()
    {
        long child = Sys.Spawn("/bin/sleep", new[] { "sleep", "100000" }, 0, 1, 2);
        Sys.Sleep(20);
        Expect(Sys.Kill((int)child), 0, "kill a sleeping child");
        Expect(Sys.Wait((int)child, out int status), child, "wait collects it");
        Expect(status, 137, "killed processes exit with 137");
        Expect(Sys.Kill((int)child), -Errno.ESRCH, "it is gone");
    }

    private static void Sbrk()
    {
        long start = Sys.Sbrk(0);
        Check(start > 0, "sbrk(0) tells where the heap ends");
        long old = Sys.Sbrk(3 * 4096);
        Expect(old, start, "sbrk returns the old end");
        byte* heap = (byte*)start;
        for (int i = 0; i < 3 * 4096; i++) heap[i] = (byte)i;
        Check(heap[3 * 4096 - 1] == unchecked((byte)(3 * 4096 - 1)), "the new pages are usable");
        Expect(Sys.Sbrk(-3 * 4096), start + 3 * 4096, "shrinking returns the old end too");
        Expect(Sys.Sbrk(0), start, "back where it was");
        Expect(Sys.Sbrk(-(start + 4096)), -Errno.EINVAL, "cannot shrink below the heap's start");
    }
}
