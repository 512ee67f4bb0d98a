using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>One fuzzed syscall: its index in the run, its number, its arguments as chosen.</summary>
    public struct FuzzCall
    {
        public long Index;
        public long Number;
        public int ArgumentCount;
        public Argument A0, A1, A2, A3, A4, A5;

        public Argument this[int i]
        {
            get => i == 0 ? A0 : i == 1 ? A1 : i == 2 ? A2 : i == 3 ? A3 : i == 4 ? A4 : A5;
            set { if (i == 0) A0 = value; else if (i == 1) A1 = value; else if (i == 2) A2 = value; else if (i == 3) A3 = value; else if (i == 4) A4 = value; else A5 = value; }
        }
    }

    /// <summary>
    /// Random syscalls with nasty arguments. <see cref="Choose"/> makes call number `index` of a run from
    /// the seed and the index alone; <see cref="Make"/> makes it, unless it would block for ever or end
    /// the fuzzer (the guards below); <see cref="Describe"/> writes it the way a person reads it. Each
    /// syscall has a shape: for each register, the pool its value comes from (ArgumentPools). A
    /// syscall's extra registers get junk too: a kernel must ignore what it does not use.
    /// Never chosen: exit and thread_exit (they end the fuzzer, not the kernel). Kill only aims at
    /// this process's children (pids above its own) or at pids no process has.
    /// </summary>
    public static unsafe partial class RandomCalls
    {
        public const int FirstInvalidNumber = 26;

        /// <summary>Where the fuzzer's child reports to its parent: no fuzzed close or dup2 may take it away.</summary>
        public const int ReportDescriptor = 31;

        public static readonly string[] Names =
        {
            "exit", "getpid", "getppid", "write", "read", "open", "close", "fstat", "pipe", "dup2", "spawn",
            "wait", "kill", "sbrk", "sleep", "uptime", "yield", "readdir", "thread_create", "thread_exit",
            "thread_join", "threadinfo", "gettid", "setaffinity", "getaffinity", "cpuinfo",
        };

        /// <summary>Syscalls numbered past the first block, chosen as often as each of it (their names too).</summary>
        private static readonly long[] s_laterNumbers =
        {
            SyscallNumbers.Fork, SyscallNumbers.Exec, SyscallNumbers.MapMemory, SyscallNumbers.UnmapMemory, SyscallNumbers.MemoryMap,
            SyscallNumbers.MakeDirectory, SyscallNumbers.Unlink, SyscallNumbers.RemoveDirectory, SyscallNumbers.Link,
            SyscallNumbers.SymbolicLink, SyscallNumbers.ReadLink, SyscallNumbers.Rename, SyscallNumbers.ChangeDirectory,
            SyscallNumbers.GetCurrentDirectory, SyscallNumbers.Seek, SyscallNumbers.Truncate, SyscallNumbers.Sync,
            SyscallNumbers.PathStatus, SyscallNumbers.LinkStatus,
            SyscallNumbers.GetUserId, SyscallNumbers.GetEffectiveUserId, SyscallNumbers.GetGroupId, SyscallNumbers.GetEffectiveGroupId,
            SyscallNumbers.SetUserId, SyscallNumbers.SetGroupId, SyscallNumbers.SetRealEffectiveUserId, SyscallNumbers.SetRealEffectiveGroupId,
            SyscallNumbers.SetUserIds, SyscallNumbers.SetGroupIds, SyscallNumbers.GetUserIds, SyscallNumbers.GetGroupIds,
            SyscallNumbers.GetGroups, SyscallNumbers.SetGroups, SyscallNumbers.ChangeMode, SyscallNumbers.ChangeModeDescriptor,
            SyscallNumbers.ChangeOwner, SyscallNumbers.ChangeOwnerDescriptor, SyscallNumbers.SetFileCreationMask,
            SyscallNumbers.MessageQueueOpen, SyscallNumbers.MessageQueueSend, SyscallNumbers.MessageQueueReceive,
            SyscallNumbers.MessageQueueUnlink, SyscallNumbers.MessageQueueStatus, SyscallNumbers.IpcUsage, SyscallNumbers.Unshare,
            SyscallNumbers.WriteIdMap, SyscallNumbers.ReadIdMap, SyscallNumbers.SetHostName, SyscallNumbers.GetHostName,
            SyscallNumbers.NetInterface, SyscallNumbers.NetSetAddress, SyscallNumbers.NetRoute, SyscallNumbers.NetRouteAdd,
            SyscallNumbers.NetRouteDelete, SyscallNumbers.Ping, SyscallNumbers.NetCounter, SyscallNumbers.NetBuffers, SyscallNumbers.NetNeighbour,
            SyscallNumbers.Socket, SyscallNumbers.Bind, SyscallNumbers.Listen, SyscallNumbers.Accept, SyscallNumbers.Connect,
            SyscallNumbers.SendTo, SyscallNumbers.ReceiveFrom, SyscallNumbers.Shutdown, SyscallNumbers.GetSocketName, SyscallNumbers.GetPeerName,
            SyscallNumbers.VmCreate, SyscallNumbers.VmLoad, SyscallNumbers.VmRun, SyscallNumbers.VmDestroy,
            SyscallNumbers.SetNamespaces, SyscallNumbers.Mount, SyscallNumbers.Unmount, SyscallNumbers.PivotRoot, SyscallNumbers.ReadMount,
        };
        private static readonly string[] s_laterNames =
        {
            "fork", "exec", "mmap", "munmap", "memorymap",
            "mkdir", "unlink", "rmdir", "link", "symlink", "readlink", "rename", "chdir", "getcwd", "lseek", "ftruncate", "fsync",
            "stat", "lstat",
            "getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "setreuid", "setregid",
            "setresuid", "setresgid", "getresuid", "getresgid", "getgroups", "setgroups", "chmod", "fchmod",
            "chown", "fchown", "umask",
            "mq_open", "mq_send", "mq_receive", "mq_unlink", "mq_getattr", "ipcusage", "unshare", "write_id_map", "read_id_map",
            "sethostname", "gethostname",
            "netinterface", "netsetaddress", "netroute", "netrouteadd", "netroutedelete", "ping", "netcounter", "netbuffers", "netneighbour",
            "socket", "bind", "listen", "accept", "connect", "sendto", "recvfrom", "shutdown", "getsockname", "getpeername",
            "vm_create", "vm_load", "vm_run", "vm_destroy",
            "setns", "mount", "umount", "pivot_root", "read_mount",
        };

        private const long MappingWindowStart = 0x0000_1000_0000_0000;      // where mmap puts mappings (kernel/Mem/UserLayout.cs)

        private static readonly long[] s_invalidNumbers = { 26, 27, 139, 255, 256, 1000, -1, int.MinValue, 1L << 32, (1L << 32) + 1, long.MinValue };

        private static readonly int[] s_openFlags =
        {
            OpenFlags.ReadOnly, OpenFlags.WriteOnly, OpenFlags.ReadWrite, OpenFlags.Create | OpenFlags.WriteOnly,
            OpenFlags.Create | OpenFlags.Truncate | OpenFlags.ReadWrite, OpenFlags.Append | OpenFlags.WriteOnly,
        };
        private const int WritingFlags = OpenFlags.WriteOnly | OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate | OpenFlags.Append;
        private const int FirstOwnFile = 7;      // FuzzMemory.Texts: before it, the system's files; from it, the fuzzer's

        private static readonly long[] s_refusedTimeouts = { 0, -1, 60_001, int.MaxValue, int.MinValue, 1L << 32 };

        private static int s_pid;
        private static long s_mainThread;
        private static readonly long[] s_slotThread = new long[FuzzMemory.ThreadStacks];
        private static long s_grown;             // bytes this run's sbrk calls added (and may take back)

        public static long Skipped { get; private set; }

        private static readonly int[] s_queueFlags =
        {
            OpenFlags.ReadWrite | OpenFlags.Create, OpenFlags.ReadOnly | MessageQueueFlags.NonBlocking,
            OpenFlags.WriteOnly | MessageQueueFlags.NonBlocking, OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Exclusive | MessageQueueFlags.NonBlocking,
        };
        // Not Pid: the fuzzer's own later children would then share a namespace that ends with the first of them
        // (fork: ENOMEM); the pid-namespaces scenario covers it. Uts is safe: Start gave the calls their own.
        private static readonly int[] s_unshareFlags = { 0, NamespaceFlags.Ipc, NamespaceFlags.Uts, NamespaceFlags.User, NamespaceFlags.Ipc | NamespaceFlags.Uts, NamespaceFlags.Mount };
        // setns: not Pid, for unshare's reason above (the fuzzer's children would be born into a namespace that ends).
        private static readonly int[] s_setnsFlags = { 0, NamespaceFlags.Uts, NamespaceFlags.Ipc, NamespaceFlags.Mount, NamespaceFlags.User };
        private static readonly int[] s_mountFlags = { 0, MountFlags.Bind, MountFlags.Bind | MountFlags.ReadOnly, MountFlags.ReadOnly };

        public static void Start()
        {
            s_pid = (int)Sys.GetPid();
            s_mainThread = Sys.GetThreadId();
            // The calls get an IPC namespace of their own (the queues fuzzed mq_opens leave named go with it at
            // exit), a UTS namespace (a fuzzed sethostname changes no one else's name) and a mount namespace (a
            // fuzzed mount over /bin, umount of /dev or pivot_root changes only the fuzzer's view; its tmpfs
            // mounts go, with their files, when the last fuzzing process exits).
            Sys.Unshare(NamespaceFlags.Ipc | NamespaceFlags.Uts | NamespaceFlags.Mount);
        }

        public static FuzzCall Choose(ulong seed, long index)
        {
            SplitMix random = SplitMix.ForCall(seed, index);
            var call = new FuzzCall { Index = index };
            int later = s_laterNumbers.Length;
            int pick = random.Below(FirstInvalidNumber + later + 2);
            call.Number = pick >= FirstInvalidNumber + later ? s_invalidNumbers[random.Below(s_invalidNumbers.Length)]
                        : pick >= FirstInvalidNumber ? s_laterNumbers[pick - FirstInvalidNumber]
                        : pick == SyscallNumbers.Exit || pick == SyscallNumbers.ThreadExit ? SyscallNumbers.Yield : pick;
            for (int i = 0; i < 6; i++) call[i] = ArgumentPools.AnyNumber(ref random);
            switch (call.Number)
            {
                case SyscallNumbers.Write: case SyscallNumbers.Read:
                    Shape(ref call, 3, ArgumentPools.Descriptor(ref random), ArgumentPools.Pointer(ref random), ArgumentPools.Length(ref random)); break;
                case SyscallNumbers.Open:
                    Argument path = ArgumentPools.Text(ref random);
                    Argument flag = random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(s_openFlags[random.Below(s_openFlags.Length)]);
                    // The system's own files are opened to read only: a fuzzer that truncated /bin/true would
                    // break the system itself, and the checks after it would blame the kernel.
                    if (path.Kind == ArgumentKind.Text && path.Value < FirstOwnFile) flag.Value &= ~(ulong)WritingFlags;
                    Shape(ref call, 2, path, flag); break;
                case SyscallNumbers.VmCreate:
                    // Mostly small machines: a few 64 MiB ones would take the memory the other calls need.
                    Shape(ref call, 1, random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(1 + random.Below(4))); break;
                case SyscallNumbers.VmLoad:
                    // Whatever the buffer holds, at a page of guest memory or anywhere.
                    Shape(ref call, 4, ArgumentPools.Descriptor(ref random), ArgumentPools.Pointer(ref random), ArgumentPools.Length(ref random),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(4096L * random.Below(8))); break;
                case SyscallNumbers.VmRun:
                    Shape(ref call, 4, ArgumentPools.Descriptor(ref random), ArgumentPools.Pointer(ref random), ArgumentPools.Length(ref random),
                          ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.VmDestroy:
                    Shape(ref call, 1, ArgumentPools.Descriptor(ref random)); break;
                case SyscallNumbers.Close:
                    Shape(ref call, 1, ArgumentPools.Descriptor(ref random)); break;
                case SyscallNumbers.FileStatus:
                    Shape(ref call, 2, ArgumentPools.Descriptor(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.Pipe:
                    Shape(ref call, 1, ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.Duplicate:
                    // Not onto 0-2: the programs it spawns write there, and must not block on a full pipe.
                    Argument target = random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(3 + random.Below(7));
                    if (target.Value <= 2) target = Argument.Of(-1);
                    Shape(ref call, 2, ArgumentPools.Descriptor(ref random), target); break;
                case SyscallNumbers.Spawn:
                    // Programs that end on their own: they write to 1 and 2 (a pipe nobody reads: EPIPE) and read nothing.
                    Shape(ref call, 5, ArgumentPools.Text(ref random, firstTexts: 13), ArgumentPools.ArgumentList(ref random),
                          SpawnDescriptor(ref random), SpawnDescriptor(ref random), SpawnDescriptor(ref random)); break;
                case SyscallNumbers.Fork:
                    call.ArgumentCount = 0; break;
                case SyscallNumbers.Exec:
                    // The programs spawn may run (they end on their own), or paths and lists that fail.
                    Shape(ref call, 2, ArgumentPools.Text(ref random, firstTexts: 13), ArgumentPools.ArgumentList(ref random)); break;
                case SyscallNumbers.MemoryMap:
                    // Any process's map, into any buffer, short or bad; the count through any pointer.
                    Shape(ref call, 4, Pid(ref random), ArgumentPools.Pointer(ref random), ArgumentPools.Length(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.MapMemory:
                    // Mostly well-formed anonymous mappings of a few pages, else any hint, protection, flags,
                    // descriptor or offset.
                    Shape(ref call, 5, random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(0), PageCount(ref random),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(1 + random.Below(3)),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(MappingFlags.Private | MappingFlags.Anonymous),
                          random.OneIn(4) ? ArgumentPools.Descriptor(ref random) : Argument.Of(-1));
                    call.A5 = random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(0);
                    call.ArgumentCount = 6; break;
                case SyscallNumbers.UnmapMemory:
                    // Pages of the mapping window (mapped by earlier calls or not), else any pointer.
                    Shape(ref call, 2, random.OneIn(3) ? ArgumentPools.Pointer(ref random) : Argument.Of(MappingWindowStart + 4096L * random.Below(64)),
                          PageCount(ref random)); break;
                case SyscallNumbers.Wait:
                    Shape(ref call, 2, Pid(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.Kill:
                    Shape(ref call, 1, Pid(ref random)); break;
                case SyscallNumbers.Sbrk:
                    Shape(ref call, 1, random.OneIn(2) ? Argument.Of(4096L * (random.Below(17) - 8)) : ArgumentPools.AnyNumber(ref random)); break;
                case SyscallNumbers.Sleep:
                    Shape(ref call, 1, ArgumentPools.AnyNumber(ref random)); break;
                case SyscallNumbers.MakeDirectory: case SyscallNumbers.Unlink: case SyscallNumbers.RemoveDirectory:
                    Shape(ref call, 1, OwnPath(ref random)); break;
                case SyscallNumbers.Link: case SyscallNumbers.SymbolicLink: case SyscallNumbers.Rename:
                    // Both paths the fuzzer's own: a link to /bin/true, or a symbolic link's target, would let a
                    // later fuzzed open with O_TRUNC empty a system program through the fuzzer's own name.
                    Shape(ref call, 2, OwnPath(ref random), OwnPath(ref random)); break;
                case SyscallNumbers.ReadLink:
                    Shape(ref call, 3, ArgumentPools.Text(ref random), ArgumentPools.Pointer(ref random), ArgumentPools.Length(ref random)); break;
                case SyscallNumbers.ChangeDirectory:
                    Shape(ref call, 1, ArgumentPools.Text(ref random)); break;
                case SyscallNumbers.GetCurrentDirectory: case SyscallNumbers.SetHostName: case SyscallNumbers.GetHostName:
                    Shape(ref call, 2, ArgumentPools.Pointer(ref random), ArgumentPools.Length(ref random)); break;
                case SyscallNumbers.Seek:
                    Shape(ref call, 3, ArgumentPools.Descriptor(ref random), ArgumentPools.AnyNumber(ref random),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(3))); break;
                case SyscallNumbers.Truncate:
                    Shape(ref call, 2, ArgumentPools.Descriptor(ref random), random.OneIn(2) ? Argument.Of(random.Below(8192)) : ArgumentPools.AnyNumber(ref random)); break;
                case SyscallNumbers.Sync:
                    Shape(ref call, 1, ArgumentPools.Descriptor(ref random)); break;
                case SyscallNumbers.PathStatus: case SyscallNumbers.LinkStatus:
                    Shape(ref call, 2, ArgumentPools.Text(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.SetUserId: case SyscallNumbers.SetGroupId:
                    // The child may drop root for good here: what follows then meets the permission checks.
                    Shape(ref call, 1, Id(ref random)); break;
                case SyscallNumbers.SetRealEffectiveUserId: case SyscallNumbers.SetRealEffectiveGroupId:
                    Shape(ref call, 2, Id(ref random), Id(ref random)); break;
                case SyscallNumbers.SetUserIds: case SyscallNumbers.SetGroupIds:
                    Shape(ref call, 3, Id(ref random), Id(ref random), Id(ref random)); break;
                case SyscallNumbers.GetUserIds: case SyscallNumbers.GetGroupIds:
                    Shape(ref call, 3, ArgumentPools.Pointer(ref random), ArgumentPools.Pointer(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.GetGroups: case SyscallNumbers.SetGroups:
                    Shape(ref call, 2, ArgumentPools.Pointer(ref random), random.OneIn(2) ? Argument.Of(4 * random.Below(20)) : ArgumentPools.Length(ref random)); break;
                case SyscallNumbers.ChangeMode:
                    Shape(ref call, 2, OwnPath(ref random), random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(0x1000))); break;
                case SyscallNumbers.ChangeOwner:
                    Shape(ref call, 3, OwnPath(ref random), Id(ref random), Id(ref random)); break;
                case SyscallNumbers.ChangeModeDescriptor:
                    // A descriptor may be a system program's (opened to read): its mode keeps rwxr-xr-x, or
                    // root itself could no longer run /bin/true and the health checks would blame the kernel.
                    Shape(ref call, 2, ArgumentPools.Descriptor(ref random), Argument.Of(FileMode.Program | (random.Below(8) << 9))); break;
                case SyscallNumbers.ChangeOwnerDescriptor:
                    Shape(ref call, 3, ArgumentPools.Descriptor(ref random), Id(ref random), Id(ref random)); break;
                case SyscallNumbers.SetFileCreationMask:
                    Shape(ref call, 1, ArgumentPools.AnyNumber(ref random)); break;
                case SyscallNumbers.MessageQueueOpen:
                    // Half the time a good name ("/bin", "/fz0", "/fz1"), else any text ("", "/", "/etc/fz2", the long one
                    // are refused) or pointer; sizes up to just past the limits, or 0 and 0 for the defaults.
                    Shape(ref call, 4, QueueName(ref random),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(s_queueFlags[random.Below(s_queueFlags.Length)]),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(MessageQueueLimits.MaximumMessages + 2)),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(MessageQueueLimits.MaximumMessageSize + 2))); break;
                case SyscallNumbers.MessageQueueSend: case SyscallNumbers.MessageQueueReceive:
                    Shape(ref call, 3, ArgumentPools.Descriptor(ref random), ArgumentPools.Pointer(ref random), ArgumentPools.Length(ref random)); break;
                case SyscallNumbers.MessageQueueUnlink:
                    Shape(ref call, 1, QueueName(ref random)); break;
                case SyscallNumbers.MessageQueueStatus:
                    Shape(ref call, 2, ArgumentPools.Descriptor(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.IpcUsage:
                    Shape(ref call, 1, ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.WriteIdMap:
                    // Its own namespace or a child's (or none), either map or a bad kind, small ranges or any numbers.
                    Shape(ref call, 5, random.OneIn(2) ? Argument.Of(0) : Pid(ref random),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(2)),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(3)),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.OneIn(2) ? 0 : 1000),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(3))); break;
                case SyscallNumbers.ReadIdMap:
                    Shape(ref call, 3, random.OneIn(2) ? Argument.Of(0) : Pid(ref random),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(2)), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.SetNamespaces:
                    Shape(ref call, 2, Pid(ref random), random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(s_setnsFlags[random.Below(s_setnsFlags.Length)])); break;
                case SyscallNumbers.Mount:
                    // A known type or any text; a flag the kernel knows or any number; no data, or any text.
                    Shape(ref call, 5, random.OneIn(2) ? OwnPath(ref random) : ArgumentPools.Text(ref random),
                          random.OneIn(2) ? OwnPath(ref random) : ArgumentPools.Text(ref random),
                          random.OneIn(2) ? new Argument(ArgumentKind.Text, FuzzMemory.TmpfsText) : ArgumentPools.Text(ref random),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(s_mountFlags[random.Below(s_mountFlags.Length)]),
                          random.OneIn(2) ? new Argument(ArgumentKind.Text, FuzzMemory.EmptyText) : ArgumentPools.Text(ref random)); break;
                case SyscallNumbers.Unmount:
                    Shape(ref call, 1, random.OneIn(2) ? OwnPath(ref random) : ArgumentPools.Text(ref random)); break;
                case SyscallNumbers.PivotRoot:
                    Shape(ref call, 2, random.OneIn(2) ? OwnPath(ref random) : ArgumentPools.Text(ref random), ArgumentPools.Text(ref random)); break;
                case SyscallNumbers.ReadMount:
                    Shape(ref call, 2, random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(20)), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.Unshare:
                    Shape(ref call, 1, random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(s_unshareFlags[random.Below(s_unshareFlags.Length)])); break;
                case SyscallNumbers.NetInterface: case SyscallNumbers.NetRoute: case SyscallNumbers.NetCounter: case SyscallNumbers.NetNeighbour:
                    Shape(ref call, 2, random.OneIn(2) ? Argument.Of(random.Below(24) - 2) : ArgumentPools.AnyNumber(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.NetBuffers:
                    Shape(ref call, 1, ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.NetSetAddress:
                    Shape(ref call, 3, Argument.Of(random.Below(4) - 1), NetworkAddress(ref random), Argument.Of(random.Below(36) - 2)); break;
                case SyscallNumbers.NetRouteAdd:
                    Shape(ref call, 4, NetworkAddress(ref random), Argument.Of(random.Below(36) - 2), NetworkAddress(ref random), Argument.Of(random.Below(4) - 2)); break;
                case SyscallNumbers.NetRouteDelete:
                    Shape(ref call, 2, NetworkAddress(ref random), Argument.Of(random.Below(36) - 2)); break;
                case SyscallNumbers.Ping:
                    // Timeouts stay short (or are refused): a ping waits that long for its answer.
                    Shape(ref call, 5, NetworkAddress(ref random), random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(0x10000)),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(0x10000)),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(1500)),
                          random.OneIn(4) ? Argument.Of(s_refusedTimeouts[random.Below(s_refusedTimeouts.Length)]) : Argument.Of(1 + random.Below(50)));
                    call.A5 = ArgumentPools.Pointer(ref random);
                    call.ArgumentCount = 6; break;
                case SyscallNumbers.Socket:
                    // Mostly the two good kinds, else any family, type or protocol.
                    Shape(ref call, 3, random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(SocketDomain.Inet),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(1 + random.Below(2)),
                          random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(0)); break;
                case SyscallNumbers.Bind: case SyscallNumbers.Connect:
                    // 127.0.0.1 or any address; a port of a few the calls share, or any number (past 65535 too).
                    Shape(ref call, 3, ArgumentPools.Descriptor(ref random), random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(0x7F000001),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(7200 + random.Below(4))); break;
                case SyscallNumbers.Listen: case SyscallNumbers.Shutdown:
                    Shape(ref call, 2, ArgumentPools.Descriptor(ref random), random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(4))); break;
                case SyscallNumbers.Accept: case SyscallNumbers.GetSocketName: case SyscallNumbers.GetPeerName:
                    Shape(ref call, 2, ArgumentPools.Descriptor(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.SendTo:
                    Shape(ref call, 5, ArgumentPools.Descriptor(ref random), ArgumentPools.Pointer(ref random), ArgumentPools.Length(ref random),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(0x7F000001),
                          random.OneIn(3) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(7200 + random.Below(4))); break;
                case SyscallNumbers.ReceiveFrom:
                    Shape(ref call, 4, ArgumentPools.Descriptor(ref random), ArgumentPools.Pointer(ref random), ArgumentPools.Length(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.ReadDirectory:
                    Shape(ref call, 3, ArgumentPools.Descriptor(ref random), ArgumentPools.AnyNumber(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.ThreadCreate:
                    bool goodEntry = random.Below(5) != 0, goodStack = random.Below(5) != 0;
                    Argument entry = goodEntry ? new Argument(ArgumentKind.ThreadEntry, 0) : RefusedAddress(ref random, forStack: false);
                    Argument stack = goodStack ? new Argument(ArgumentKind.ThreadStack, (ulong)random.Below(FuzzMemory.ThreadStacks)) : RefusedAddress(ref random, forStack: true);
                    Shape(ref call, 5, entry, stack, new Argument(ArgumentKind.ThreadBody, 0), Argument.Of(random.Below(300)), ArgumentPools.Text(ref random)); break;
                case SyscallNumbers.ThreadJoin:
                    Shape(ref call, 1, Thread(ref random)); break;
                case SyscallNumbers.ThreadInfo: case SyscallNumbers.CpuInfo:
                    Shape(ref call, 2, random.OneIn(2) ? Argument.Of(random.Below(40)) : ArgumentPools.AnyNumber(ref random), ArgumentPools.Pointer(ref random)); break;
                case SyscallNumbers.SetAffinity:
                    Shape(ref call, 2, Thread(ref random), random.OneIn(2) ? Argument.Of(1 + random.Below(15)) : ArgumentPools.AnyNumber(ref random)); break;
                case SyscallNumbers.GetAffinity:
                    Shape(ref call, 2, Thread(ref random), ArgumentPools.Pointer(ref random)); break;
                default:
                    call.ArgumentCount = call.Number >= 0 && call.Number < FirstInvalidNumber ? 0 : 6; break;
            }
            return call;
        }

        /// <summary>Writes "#INDEX name(arguments)" into TextLine.</summary>
        public static void Describe(FuzzCall call)
        {
            TextLine.AppendByte((byte)'#');
            TextLine.AppendDecimal(call.Index);
            TextLine.AppendByte((byte)' ');
            int later = s_laterNumbers.Length - 1;
            while (later >= 0 && s_laterNumbers[later] != call.Number) later--;
            if (call.Number >= 0 && call.Number < Names.Length) TextLine.Append(Names[call.Number]);
            else if (later >= 0) TextLine.Append(s_laterNames[later]);
            else { TextLine.Append("syscall "); TextLine.AppendNumber((ulong)call.Number); }
            TextLine.AppendByte((byte)'(');
            for (int i = 0; i < call.ArgumentCount; i++)
            {
                if (i > 0) TextLine.Append(", ");
                DescribeArgument(call[i]);
            }
            TextLine.AppendByte((byte)')');
        }

        private static void DescribeArgument(Argument argument)
        {
            switch (argument.Kind)
            {
                case ArgumentKind.Buffer: TextLine.Append("buffer+"); TextLine.AppendDecimal((long)argument.Value); return;
                case ArgumentKind.Kernel: TextLine.Append("kernel+"); TextLine.AppendHex(argument.Value); return;
                case ArgumentKind.NonCanonical: TextLine.Append("non-canonical+"); TextLine.AppendDecimal((long)argument.Value); return;
                case ArgumentKind.Unmapped: TextLine.Append("unmapped+"); TextLine.AppendHex(argument.Value); return;
                case ArgumentKind.Code: TextLine.Append("read-only code"); return;
                case ArgumentKind.Text:
                    string text = FuzzMemory.Texts[(int)argument.Value];
                    TextLine.AppendByte((byte)'"');
                    for (int i = 0; i < text.Length && i < 24; i++) TextLine.AppendByte((byte)text[i]);
                    if (text.Length > 24) { TextLine.Append("...("); TextLine.AppendDecimal(text.Length); TextLine.Append(" chars)"); }
                    TextLine.AppendByte((byte)'"');
                    return;
                case ArgumentKind.ArgumentList: TextLine.Append("argv#"); TextLine.AppendDecimal((long)argument.Value); return;
                case ArgumentKind.ThreadEntry: TextLine.Append("thread entry"); return;
                case ArgumentKind.ThreadStack:
                    TextLine.Append(argument.Value < FuzzMemory.ThreadStacks ? "stack#" : "misaligned stack");
                    if (argument.Value < FuzzMemory.ThreadStacks) TextLine.AppendDecimal((long)argument.Value);
                    return;
                case ArgumentKind.ThreadBody: TextLine.Append("thread body"); return;
                case ArgumentKind.OwnPid: TextLine.Append("own pid+"); TextLine.AppendDecimal((long)argument.Value); return;
                case ArgumentKind.OwnThread: TextLine.Append("own thread#"); TextLine.AppendDecimal((long)argument.Value); return;
                default: TextLine.AppendNumber(argument.Value); return;
            }
        }
    }
}
