using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>hostile: exhaustion of memory, processes, threads and kernel stacks.</summary>
public static unsafe partial class HostileTests
{
    // ---- Exhaustion: memory, processes, threads, kernel stacks ----
    // Each of these once ended in a kernel panic. Now the limits of kernel/Proc/Limits.cs give -EAGAIN,
    // the frame reserve of kernel/Mem/MemoryBudget.cs gives -ENOMEM, and the out-of-memory killer
    // (kernel/Proc/OutOfMemoryKiller.cs) kills the process holding the most memory; the limits and
    // their defaults are in docs/guide/05-processes.md, "Limits". The helpers named hog, bystander,
    // leave-zombies and hold-threads are this program run as a child with that one test named.

    private const int PoolThreads = 256;                 // the kernel's default max-threads-per-proc
    private const int PoolStackSize = 8 * 1024;
    private const int MaximumHogs = 8;
    private const int KilledStatus = 137;
    private static byte* s_threadStacks;

    // The index-th of a pool of small thread stacks, set aside once (later the heap may be what is
    // exhausted); thread i and i + PoolThreads share one, so never more than PoolThreads run at once.
    private static ulong ThreadStackTop(int index)
    {
        if (s_threadStacks == null) s_threadStacks = (byte*)Sys.Sbrk(PoolThreads * PoolStackSize);
        return ((ulong)s_threadStacks + (ulong)((index % PoolThreads + 1) * PoolStackSize)) & ~15UL;
    }

    private static long StartThread(delegate*<ulong, int> function, ulong argument, int index) =>
        UserThread.StartOnStack(function, argument, ThreadStackTop(index), "limits");

    // A thread that reads its descriptor until end of file (its last writer closed), then ends.
    private static int ReadToEndOfFile(ulong descriptor)
    {
        byte* one = stackalloc byte[1];
        while (Sys.Read((int)descriptor, new Span<byte>(one, 1)) > 0) { }
        return 0;
    }

    private static int EndAtOnce(ulong unused) => 0;

    private static readonly string[] s_true = { "true" };

    // The child's exit status, or its negative error.
    private static long WaitFor(long pid)
    {
        if (pid < 0) return pid;
        long waited = Sys.Wait((int)pid, out int status);
        return waited < 0 ? waited : status;
    }

    private static long SpawnTrueAndWait() => WaitFor(Sys.Spawn("/bin/true", s_true, 0, 1, 2));

    /// <summary>
    /// Starts hogs (<see cref="Hog"/>) until spawn itself fails for want of memory; returns how many run.
    /// They report on <paramref name="ready"/> and hold their memory until <paramref name="release"/>
    /// reaches end of file. One hog usually takes all there is; more are started in case a heap limit
    /// stops one earlier.
    /// </summary>
    private static int StartHogs(int[] hogs, string[] arguments, PipeDescriptors ready, PipeDescriptors release, out long spawnError)
    {
        byte* one = stackalloc byte[1];
        int count = 0;
        spawnError = 0;
        while (count < hogs.Length)
        {
            long pid = Sys.Spawn("/bin/hostile", arguments, release.Read, ready.Write, 2);
            if (pid < 0) { spawnError = pid; break; }
            hogs[count++] = (int)pid;
            Sys.Read(ready.Read, new Span<byte>(one, 1));
        }
        return count;
    }

    // Bug: spawn after another process had taken all memory with sbrk panicked ("out of physical
    // memory" in the loader). Now the user's pages stop at the kernel's reserve, and spawn gives ENOMEM.
    private static void SpawnAfterSbrkTookAllMemory()
    {
        int[] hogs = new int[MaximumHogs];
        string[] arguments = { "hostile", "hog" };
        Sys.Pipe(out PipeDescriptors ready);
        Sys.Pipe(out PipeDescriptors release);
        int count = StartHogs(hogs, arguments, ready, release, out long spawnError);
        Expect(spawnError, -Errno.ENOMEM, "spawn once the hogs hold all memory");
        Expect(SpawnTrueAndWait(), -Errno.ENOMEM, "spawn again: still ENOMEM, no panic");

        Sys.Close(release.Write);                       // the hogs give their memory back and exit
        for (int i = 0; i < count; i++) Expect(WaitFor(hogs[i]), 0, "a hog exits normally");
        Sys.Close(release.Read);
        Sys.Close(ready.Read);
        Sys.Close(ready.Write);
        Expect(SpawnTrueAndWait(), 0, "spawn works again after the hogs exit");
    }

    // The killer: with the hogs at the reserve, kernel memory taken for the user (kernel stacks of new
    // threads) eats into it until the critical level, and the biggest process (a hog) is killed; a
    // bystander, this suite itself (init is never chosen) and the threads made so far carry on.
    private static void OutOfMemoryKillerPicksTheHog()
    {
        int[] hogs = new int[MaximumHogs];
        int[] threads = new int[PoolThreads];
        string[] hogArguments = { "hostile", "hog" }, bystanderArguments = { "hostile", "bystander" };
        ThreadStackTop(0);
        Sys.Pipe(out PipeDescriptors wake);
        long bystander = Sys.Spawn("/bin/hostile", bystanderArguments, wake.Read, 1, 2);
        Sys.Pipe(out PipeDescriptors ready);
        Sys.Pipe(out PipeDescriptors release);
        Sys.Pipe(out PipeDescriptors gate);
        int hogCount = StartHogs(hogs, hogArguments, ready, release, out long spawnError);

        long result = 0;
        int created = 0;
        while (created < PoolThreads && (result = StartThread(&ReadToEndOfFile, (ulong)gate.Read, created)) > 0)
            threads[created++] = (int)result;
        Expect(result, -Errno.ENOMEM, "thread_create once kernel memory is down to the critical level");

        Sys.Close(release.Write);
        int killed = 0;
        for (int i = 0; i < hogCount; i++) if (WaitFor(hogs[i]) == KilledStatus) killed++;
        Expect(killed, 1, "hogs killed by the out-of-memory killer");
        result = StartThread(&ReadToEndOfFile, (ulong)gate.Read, created);
        Check(result > 0, "thread_create works again once the victim's memory is back");
        if (result > 0) threads[created++] = (int)result;

        Sys.Close(gate.Write);                          // every thread reads end of file and ends
        for (int i = 0; i < created; i++) Expect(Sys.ThreadJoin(threads[i]), 0, "a thread made during the shortage");
        byte* one = stackalloc byte[1];
        Sys.Write(wake.Write, new ReadOnlySpan<byte>(one, 1));
        Expect(WaitFor(bystander), 0, "the bystander still works");
        int[] descriptors = { wake.Read, wake.Write, ready.Read, ready.Write, release.Read, gate.Read };
        foreach (int descriptor in descriptors) Sys.Close(descriptor);
    }

    // hog: takes every page sbrk gives, says so (one byte on its output), keeps them until its input
    // reaches end of file, then gives them back. It allocates nothing on its heap meanwhile. The heap
    // is lazy (kernel/Proc/ProgramBreak.cs): a page takes a frame only once touched, so the hog touches
    // each; that also keeps it as slow as a hog of real memory, which the bystander's start-up, racing
    // it on another CPU, needs (a hog of promises alone is done before the bystander has its heap).
    private static void Hog()
    {
        long taken = 0, start;
        for (long chunk = 1024 * 1024; chunk >= 4096; chunk /= 16)
            while ((start = Sys.Sbrk(chunk)) >= 0)
            {
                for (long page = 0; page < chunk; page += 4096) ((byte*)start)[page] = 1;
                taken += chunk;
            }
        Check(taken > 0, "the hog took memory");
        byte* one = stackalloc byte[1];
        Sys.Write(1, new ReadOnlySpan<byte>(one, 1));
        while (Sys.Read(0, new Span<byte>(one, 1)) > 0) { }
        Sys.Sbrk(-taken);
    }

    // bystander: waits for one byte on its input, then shows it can still spawn.
    private static void Bystander()
    {
        byte* one = stackalloc byte[1];
        Expect(Sys.Read(0, new Span<byte>(one, 1)), 1, "the bystander is woken");
        Expect(SpawnTrueAndWait(), 0, "the bystander spawns");
    }

    // Bug: about 1,000 sleeping processes ran the kernel out of memory (a panic). Now the process
    // limit (max-procs) gives EAGAIN, and all is well again once they are collected.
    private static void SleepingProcessesReachTheLimit()
    {
        int[] sleepers = new int[1100];
        string[] arguments = { "sleep", "100000" };
        long result = 0;
        int count = 0;
        while (count < sleepers.Length && (result = Sys.Spawn("/bin/sleep", arguments, 0, 1, 2)) > 0) sleepers[count++] = (int)result;
        Expect(result, -Errno.EAGAIN, "spawn at the process limit");
        Check(count >= 8, "several sleepers ran before the limit");
        for (int i = 0; i < count; i++) Sys.Kill(sleepers[i]);
        for (int i = 0; i < count; i++) Expect(WaitFor(sleepers[i]), KilledStatus, "a killed sleeper");
        Expect(SpawnTrueAndWait(), 0, "spawn works again once they are collected");
    }

    // Bug: 5,000 children never waited for (zombies) ran the kernel out of memory. Zombies count toward
    // the process limit; when their parent exits they pass to init, which collects them.
    private static void UnwaitedChildrenReachTheLimit()
    {
        string[] arguments = { "hostile", "leave-zombies" };
        Expect(WaitFor(Sys.Spawn("/bin/hostile", arguments, 0, 1, 2)), 0, "the child met the limit with EAGAIN");
        if (Sys.GetPid() == 1)
        {
            // This suite is init (as in tests/Integration): the orphaned zombies are ours to collect.
            int orphans = 0;
            while (Sys.Wait(-1, out int status) > 0) orphans++;
            Check(orphans >= 8, "init collects the orphaned zombies");
        }
        else Sys.Sleep(500);                            // init collects them
        Expect(SpawnTrueAndWait(), 0, "spawn works again once they are collected");
    }

    // leave-zombies: spawns children and never waits for them, until the process limit.
    private static void LeaveZombies()
    {
        long result = 0;
        int count = 0;
        while (count < 6000 && (result = Sys.Spawn("/bin/true", s_true, 0, 1, 2)) > 0) count++;
        Expect(result, -Errno.EAGAIN, "spawn with the process table full of zombies");
    }

    // One process spawning without end once took every process slot. Now it meets its own limit of
    // children (max-children) first, and the others (the shell starting `kill`, say) can still spawn.
    private static void ChildrenLimitLeavesRoomForOthers()
    {
        string[] arguments = { "hostile", "hold-children" };
        Sys.Pipe(out PipeDescriptors ready);
        Sys.Pipe(out PipeDescriptors release);
        long child = Sys.Spawn("/bin/hostile", arguments, release.Read, ready.Write, 2);
        byte* one = stackalloc byte[1];
        Expect(Sys.Read(ready.Read, new Span<byte>(one, 1)), 1, "the child is at its limit of children");
        Expect(SpawnTrueAndWait(), 0, "another process can still spawn");
        Sys.Close(release.Write);
        Expect(WaitFor(child), 0, "the child met its limit with EAGAIN and collected its children");
        int[] descriptors = { ready.Read, ready.Write, release.Read };
        foreach (int descriptor in descriptors) Sys.Close(descriptor);
    }

    // hold-children: spawns sleepers until refused, says so (one byte on its output), waits for end of
    // file on its input, then kills and collects them.
    private static void HoldChildren()
    {
        int[] sleepers = new int[1100];
        string[] arguments = { "sleep", "100000" };
        long result = 0;
        int count = 0;
        while (count < sleepers.Length && (result = Sys.Spawn("/bin/sleep", arguments, 0, 2, 2)) > 0) sleepers[count++] = (int)result;
        Expect(result, -Errno.EAGAIN, "spawn at the limit of children");
        byte* one = stackalloc byte[1];
        Sys.Write(1, new ReadOnlySpan<byte>(one, 1));
        while (Sys.Read(0, new Span<byte>(one, 1)) > 0) { }
        for (int i = 0; i < count; i++) Sys.Kill(sleepers[i]);
        for (int i = 0; i < count; i++) Expect(WaitFor(sleepers[i]), KilledStatus, "a killed sleeper");
    }

    // Bugs: 5,355 threads ran the kernel out of memory; and past 4,096 kernel stacks, freeing them
    // threw IndexOutOfRangeException in KernelStack.FreeReleased. Holders (up to 17 x 255 threads, more
    // than the 4,096 stacks there once was room for) each make threads until refused; the limit of
    // threads in all processes (max-threads) stops them with EAGAIN well before, and all are freed.
    private static void ThreadsInAllProcessesReachTheLimit()
    {
        const int MaximumHolders = 17;
        int[] holders = new int[MaximumHolders];
        string[] arguments = { "hostile", "hold-threads" };
        Sys.Pipe(out PipeDescriptors gate);
        Sys.Pipe(out PipeDescriptors reports);
        int* report = stackalloc int[2];
        int count = 0;
        bool limitMet = false;
        while (count < MaximumHolders && !limitMet)
        {
            long pid = Sys.Spawn("/bin/hostile", arguments, gate.Read, reports.Write, 2);
            if (pid < 0)
            {
                Expect(pid, -Errno.EAGAIN, "spawn when no thread may be added");
                limitMet = true;
                break;
            }
            holders[count++] = (int)pid;
            Expect(Sys.Read(reports.Read, new Span<byte>(report, 8)), 8, "a holder's report");
            Expect(report[1], -Errno.EAGAIN, "a holder's last thread_create");
            if (report[0] < PoolThreads - 1) limitMet = true;     // refused before its own process's limit
        }
        Check(limitMet, "the limit of threads in all processes was met");
        Sys.Close(gate.Write);                          // every held thread reads end of file
        for (int i = 0; i < count; i++) Expect(WaitFor(holders[i]), 0, "a holder joined its threads");
        Sys.Close(gate.Read);
        Sys.Close(reports.Read);
        Sys.Close(reports.Write);
        long thread = StartThread(&EndAtOnce, 0, 0);
        Check(thread > 0, "thread_create works again");
        if (thread > 0) Expect(Sys.ThreadJoin((int)thread), 0, "and the thread is joined");
    }

    // hold-threads: makes threads that wait for end of file on its input until refused, reports how
    // many and the last result (two ints on its output), then joins them.
    private static void HoldThreads()
    {
        int[] threads = new int[PoolThreads];
        long result = 0;
        int count = 0;
        while (count < PoolThreads && (result = StartThread(&ReadToEndOfFile, 0, count)) > 0) threads[count++] = (int)result;
        int* report = stackalloc int[2];
        report[0] = count;
        report[1] = (int)result;
        Sys.Write(1, new ReadOnlySpan<byte>(report, 8));
        for (int i = 0; i < count; i++) Sys.ThreadJoin(threads[i]);
    }

    // Bug: 530,000 threads created and never joined ran the kernel out of memory: a thread that exited
    // holds kernel memory until joined, yet only running threads were counted. Now unjoined ones count.
    private static void UnjoinedThreadsReachTheLimit()
    {
        int[] threads = new int[2000];
        long result = 0;
        int count = 0;
        while (count < threads.Length && (result = StartThread(&EndAtOnce, 0, count)) > 0) threads[count++] = (int)result;
        Expect(result, -Errno.EAGAIN, "thread_create with every thread unjoined");
        for (int i = 0; i < count; i++) Expect(Sys.ThreadJoin(threads[i]), 0, "an unjoined thread, joined at last");
        long thread = StartThread(&EndAtOnce, 0, 0);
        Check(thread > 0, "thread_create works again once they are joined");
        if (thread > 0) Sys.ThreadJoin((int)thread);
    }

    // ---- The kernel heap gives its frames back ----

    private const int ZombieBurst = 1000;

    /// <summary>
    /// Bug 11b: the kernel heap never returned frames. A burst of children left as zombies grows the
    /// kernel heap (each zombie keeps its records until it is collected); once they are reaped the
    /// heap's bytes in use fall back, and its frames must go back to the frame allocator too: the
    /// memory check when init exits (checked by tests/Integration/HostileProgramTests.cs) sees every
    /// frame free again. The process limit (max-procs, default 64) ends the burst with EAGAIN; the
    /// burst is repeated, so the heap grows and shrinks many times.
    /// </summary>
    private static void HeapReturnsFrames()
    {
        int spawnedInAll = 0;
        for (int burst = 0; burst < 10; burst++)
        {
            int spawned = 0;
            while (spawned < ZombieBurst && Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2) > 0) spawned++;
            int reaped = 0;
            while (Sys.Wait(-1, out int unused) > 0) reaped++;
            Expect(reaped, spawned, "every child of the burst reaped");
            spawnedInAll += spawned;
        }
        Check(spawnedInAll >= 400, "ten bursts of at least 40 children each");
    }
}
