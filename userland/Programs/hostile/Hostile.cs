using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// hostile [NAME...]: what a buggy or malicious program does to a kernel, each as a test that the kernel
/// survives it. Every test here once brought TeachOS down (a panic, a hang, or memory lost for good);
/// each now checks the error code, limit or killed process that replaced the crash. tests/Integration
/// runs the suite on one, two and four CPUs and checks, after it, that every physical frame came back
/// and that the kernel printed no panic. The tests are grouped by the kind of bug they stand for:
/// who owns a kernel string, sizes and offsets read from files, the shape of a process's address space,
/// exhaustion of memory, processes and threads, and blocking that a kill must interrupt: one file of
/// this folder for each (the folder is one program, /bin/hostile).
/// TestSuite (userland/Lib/TestSuite.cs) prints "hostile: N passed, M failed"; the exit status is M.
/// </summary>
public static unsafe partial class HostileTests
{
    private static UserTest[] All() => new[]
    {
        // ---- Who owns a string the kernel keeps ----
        new UserTest { Name = "spawn-empty-argument", Body = &SpawnWithAnEmptyArgument },
        new UserTest { Name = "spawn-empty-path", Body = &SpawnOfTheEmptyPath },
        new UserTest { Name = "thread-empty-name", Body = &ThreadWithAnEmptyName },
        new UserTest { Name = "spawn-relative-path", Body = &SpawnOfAPathWithoutSlash },
        // ---- File-system paths ----
        new UserTest { Name = "path-under-file", Body = &PathUnderARegularFile },
        new UserTest { Name = "ramfs-full", Body = &FileSystemFullIsAnError },
        // ---- The mount calls (hostile/Mounts.cs) ----
        new UserTest { Name = "mount-bad-pointers", Body = &MountWithBadPointers },
        new UserTest { Name = "mount-non-root", Body = &MountByAnOrdinaryUser },
        new UserTest { Name = "mount-bind-loops", Body = &BindMountLoops },
        new UserTest { Name = "mountns-killed-with-mounts", Body = &MountNamespaceKilledWithMounts },
        // ---- Sizes and offsets from a file (ELF) ----
        new UserTest { Name = "elf-bad-headers", Body = &ElfBadHeaders },
        new UserTest { Name = "elf-mutations", Body = &ElfMutations },
        new UserTest { Name = "elf-broken-symbols", Body = &ElfBrokenSymbolsInFaultReport },
        new UserTest { Name = "elf-refusals-leak-nothing", Body = &ElfRefusalsLeakNothing },
        // ---- The address space: heap, stack and the gaps between them ----
        new UserTest { Name = "sbrk-race", Body = &SbrkFromTwoThreads },
        new UserTest { Name = "sbrk-exhaustion-comes-back", Body = &SbrkExhaustionComesBack },
        new UserTest { Name = "segment-under-the-stack", Body = &SegmentUnderTheStackIsRefused },
        new UserTest { Name = "heap-stops-at-the-guard-gap", Body = &HeapStopsAtTheGuardGap },
        new UserTest { Name = "heap-to-the-ceiling", Body = &HeapToTheCeiling, OnlyWhenNamed = true },
        // ---- Exhaustion: memory, processes, threads, kernel stacks ----
        new UserTest { Name = "spawn-after-sbrk-took-all-memory", Body = &SpawnAfterSbrkTookAllMemory },
        new UserTest { Name = "out-of-memory-killer", Body = &OutOfMemoryKillerPicksTheHog },
        new UserTest { Name = "sleeping-processes-limit", Body = &SleepingProcessesReachTheLimit },
        new UserTest { Name = "unwaited-children-limit", Body = &UnwaitedChildrenReachTheLimit },
        new UserTest { Name = "children-limit-leaves-room", Body = &ChildrenLimitLeavesRoomForOthers },
        new UserTest { Name = "threads-limit-in-all", Body = &ThreadsInAllProcessesReachTheLimit },
        new UserTest { Name = "unjoined-threads-limit", Body = &UnjoinedThreadsReachTheLimit },
        new UserTest { Name = "hog", Body = &Hog, OnlyWhenNamed = true },
        new UserTest { Name = "bystander", Body = &Bystander, OnlyWhenNamed = true },
        new UserTest { Name = "leave-zombies", Body = &LeaveZombies, OnlyWhenNamed = true },
        new UserTest { Name = "hold-threads", Body = &HoldThreads, OnlyWhenNamed = true },
        new UserTest { Name = "hold-children", Body = &HoldChildren, OnlyWhenNamed = true },
        new UserTest { Name = "heap-returns-frames", Body = &HeapReturnsFrames },
        // ---- Blocking that kill must interrupt ----
        new UserTest { Name = "join-cycle-is-refused", Body = &JoinCycleIsRefused },
        new UserTest { Name = "kill-ends-threads-that-join-each-other", Body = &KillEndsThreadsThatJoinEachOther },
        new UserTest { Name = "exit-ends-blocked-threads", Body = &ExitEndsBlockedThreads },
        new UserTest { Name = "thread-exit-status-is-one-byte", Body = &ThreadExitStatusIsOneByte },
        new UserTest { Name = "zero-length-read-returns", Body = &ZeroLengthReadReturns },
        // Helpers that the tests above run in a child process (`hostile NAME`).
        new UserTest { Name = "thread-empty-name-unjoined", Body = &UnjoinedThreadWithAnEmptyName, OnlyWhenNamed = true },
    };

    public static int Main(string[] args)
    {
        // `hostile --as ROLE`: the child process some tests start, playing a part (see BlockingRoles).
        if (args.Length == 2 && args[0] == "--as") return BlockingRoles.Play(args[1]);
        int failed = TestSuite.Run("hostile", All(), args);
        // Remove the scratch files the tests wrote, so that their frames are free again for the memory
        // check when init exits.
        foreach (string scratch in new[] { MutantPath, RefusalsPath }) Sys.Unlink(scratch);
        return failed;
    }
}
