using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;

/// <summary>
/// usertests [NAME...]: the system-call test suite, run as a user program (tests/Integration runs it
/// with init=/bin/usertests). Each test checks a syscall's success and its error paths from ring 3,
/// through both entries. Prints one line per test and "usertests: N passed, M failed"; the exit
/// status is the number of failed tests. `leak` (1,000 processes) runs only when named.
/// </summary>
public static unsafe class UserTests
{
    private static int s_failures;

    private struct Test
    {
        public string Name;
        public delegate*<void> Body;
        public bool OnlyWhenNamed;
    }

    private static Test[] All() => new[]
    {
        new Test { Name = "getpid", Body = &GetPid },
        new Test { Name = "files", Body = &FileRoundTrip },
        new Test { Name = "errors", Body = &ErrorPaths },
        new Test { Name = "bad-pointers", Body = &BadPointers },
        new Test { Name = "int80", Body = &InterruptGateEntry },
        new Test { Name = "pipes", Body = &Pipes },
        new Test { Name = "argv", Body = &ArgumentsReachTheChild },
        new Test { Name = "exit-status", Body = &ExitStatus },
        new Test { Name = "faults", Body = &FaultsKillOnlyTheFaulter },
        new Test { Name = "kill", Body = &KillASleeper },
        new Test { Name = "sbrk", Body = &Sbrk },
        new Test { Name = "sleep", Body = &SleepAndUptime },
        new Test { Name = "threads", Body = &Threads },
        new Test { Name = "readdir", Body = &ReadDirectory },
        new Test { Name = "fairness", Body = &RoundRobinIsFair },
        new Test { Name = "blocked-uses-no-cpu", Body = &BlockedReaderUsesNoCpu },
        new Test { Name = "many-threads", Body = &TwoHundredThreads },
        new Test { Name = "affinity", Body = &AffinityIsRespected },
        new Test { Name = "every-cpu-busy", Body = &CpuBoundThreadsOccupyEveryCpu },
        new Test { Name = "smt-placement", Body = &BusyThreadsTakeSeparateCores },
        new Test { Name = "leak", Body = &SpawnAThousand, OnlyWhenNamed = true },
    };

    public static int Main(string[] args)
    {
        int passed = 0, failed = 0;
        foreach (Test test in All())
        {
            bool named = Array.IndexOf(args, test.Name) >= 0;
            if (args.Length > 0 ? !named : test.OnlyWhenNamed) continue;
            s_failures = 0;
            test.Body();
            Console.WriteLine((s_failures == 0 ? "test " : "FAILED ") + test.Name + (s_failures == 0 ? ": OK" : ""));
            if (s_failures == 0) passed++; else failed++;
        }
        Console.WriteLine("usertests: " + passed + " passed, " + failed + " failed");
        return failed;
    }

    // ---- Checks ----

    private static void Check(bool condition, string what)
    {
        if (condition) return;
        s_failures++;
        Console.WriteLine("  check failed: " + what);
    }

    private static void Expect(long actual, long expected, string what)
    {
        if (actual == expected) return;
        s_failures++;
        Console.WriteLine("  check failed: " + what + ": expected " + Describe(expected) + ", got " + Describe(actual));
    }

    private static string Describe(long value) => value < 0 ? "-" + Sys.ErrorName(value) : value.ToString();

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
        Expect(Sys.Spawn("/etc/motd", new[] { "motd" }, 0, 1, 2), -Errno.ENOEXEC, "spawn something that is not a program");
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

    private static void SleepAndUptime()
    {
        long before = Sys.Uptime();
        Expect(Sys.Sleep(50), 0, "sleep");
        long slept = Sys.Uptime() - before;
        Check(slept >= 50, "slept at least 50 ms (slept " + slept + ")");
        Check(slept <= 60, "woke within one quantum (10 ms) of the deadline (slept " + slept + ")");
        Expect(Sys.Yield(), 0, "yield");
    }

    private static long s_counter;

    private static int Worker(ulong rounds)
    {
        for (ulong i = 0; i < rounds; i++)
        {
            s_counter++;
            if (i % 100 == 0) Sys.Yield();
        }
        return (int)rounds + 1;
    }

    private static void Threads()
    {
        int[] ids = new int[4];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = UserThread.Start(&Worker, (ulong)(1000 * (i + 1)), "worker");
            Check(ids[i] > 0, "thread_create gives an id");
        }
        for (int i = 0; i < ids.Length; i++) Expect(UserThread.Join(ids[i]), 1000 * (i + 1) + 1, "join returns the thread's result");
        Check(s_counter > 0, "the threads ran in this process's memory");
        Check(ids[0] != ids[1] && ids[1] != ids[2], "each thread has its own id");
        Expect(Sys.ThreadJoin(ids[0]), -Errno.ESRCH, "a joined thread is gone");
    }

    private static void ReadDirectory()
    {
        long fd = Sys.Open("/bin", OpenFlags.ReadOnly);
        bool sawShell = false;
        int count = 0;
        while (Sys.ReadDirectory((int)fd, count, out DirectoryEntry entry) == 1)
        {
            if (string.FromAscii(entry.Name, entry.NameLength) == "sh") sawShell = true;
            count++;
        }
        Check(count >= 8, "/bin has the programs");
        Check(sawShell, "one of them is sh");
        Expect(Sys.ReadDirectory((int)fd, -1, out DirectoryEntry unused), -Errno.EINVAL, "a negative index");
        Sys.Close((int)fd);
    }

    // ---- Scheduling ----

    private static long s_deadline;

    private static int Spinner(ulong unused)
    {
        long spins = 0;
        while (Sys.Uptime() < s_deadline) spins++;      // CPU-bound: only the timer takes the CPU away
        return (int)(spins & 0x7FFFFFFF);
    }

    /// <summary>The CPU ticks the thread with this id has run, or -1 if it is not listed.</summary>
    private static long TicksOf(int threadId)
    {
        for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
            if (info.ThreadId == threadId) return info.CpuTicks;
        return -1;
    }

    private static void RoundRobinIsFair()
    {
        // Round-robin is a property of one CPU's queue: all four spinners are pinned to the last CPU,
        // so each should get a quarter of it, whatever the number of CPUs.
        const int Threads = 4;
        int last = CpuCount() - 1;
        int[] ids = new int[Threads];
        s_deadline = Sys.Uptime() + 600;
        for (int i = 0; i < Threads; i++)
        {
            ids[i] = UserThread.Start(&Spinner, 0, "spinner");
            Expect(Sys.SetAffinity(ids[i], 1UL << last), 0, "pin spinner " + i + " to CPU " + last);
        }
        Sys.Sleep(700);                                   // all have ended: they are zombies until joined
        long total = 0;
        long[] ticks = new long[Threads];
        for (int i = 0; i < Threads; i++) total += ticks[i] = TicksOf(ids[i]);
        long fair = total / Threads;
        for (int i = 0; i < Threads; i++)
            Check(ticks[i] * 10 >= fair * 9 && ticks[i] * 10 <= fair * 11,
                  "thread " + i + " ran " + ticks[i] + " ticks; the fair share is " + fair + " (within 10%)");
        Console.WriteLine("  ticks per thread on CPU " + last + ": " + ticks[0] + " " + ticks[1] + " " + ticks[2] + " " + ticks[3]);
        for (int i = 0; i < Threads; i++) UserThread.Join(ids[i]);
    }

    private static void BlockedReaderUsesNoCpu()
    {
        // cat with no arguments reads the console; nobody types, so it blocks in the kernel. Its
        // start-up costs some ticks (more on a slow host); from then on, blocked, it must cost none.
        long pid = Sys.Spawn("/bin/cat", new[] { "cat" }, 0, 1, 2);
        Sys.Sleep(100);
        long before = TicksOfProcess(pid, out int stateBefore);
        Sys.Sleep(300);
        long after = TicksOfProcess(pid, out int stateAfter);
        Expect(stateBefore, 2, "the reader is blocked");
        Expect(stateAfter, 2, "the reader is still blocked");
        Check(before >= 0 && after - before <= 1,
              "a thread blocked on console input uses no CPU (it used " + (after - before) + " ticks in 300 ms)");
        Sys.Kill((int)pid);
        Sys.Wait((int)pid, out int unused);
    }

    /// <summary>CPU ticks and state of the (single) thread of process <paramref name="pid"/>; -1 if absent.</summary>
    private static long TicksOfProcess(long pid, out int state)
    {
        state = -1;
        for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
            if (info.ProcessId == pid)
            {
                state = info.State;
                return info.CpuTicks;
            }
        return -1;
    }

    private static int Quick(ulong value) => (int)value;

    private static void TwoHundredThreads()
    {
        int failures = 0;
        for (int i = 0; i < 200; i++)
        {
            int id = UserThread.Start(&Quick, (ulong)i, "quick");
            if (id <= 0 || UserThread.Join(id) != i) failures++;
        }
        Expect(failures, 0, "200 threads created and joined");
    }

    private static void SpawnAThousand()
    {
        int failures = 0;
        for (int i = 0; i < 1000; i++)
        {
            long pid = Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2);
            if (pid < 0 || Sys.Wait((int)pid, out int status) != pid || status != 0) failures++;
        }
        Expect(failures, 0, "1,000 processes spawned and collected");
    }

    // ---- Logical CPUs ----

    private static int CpuCount()
    {
        int count = 0;
        while (Sys.CpuInfo(count, out CpuInfo unused) == 1) count++;
        return count;
    }

    /// <summary>The CPU a thread runs on, or last ran on; -1 if it is not listed.</summary>
    private static int CpuOf(int threadId)
    {
        for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
            if (info.ThreadId == threadId) return info.Cpu;
        return -1;
    }

    /// <summary>The CPU a thread is running on now, or -1 if it is not running.</summary>
    private static int RunningCpuOf(int threadId)
    {
        for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
            if (info.ThreadId == threadId) return info.State == 1 ? info.Cpu : -1;
        return -1;
    }

    private static void AffinityIsRespected()
    {
        int cpus = CpuCount();
        Check(cpus >= 1, "cpuinfo lists at least one CPU");
        Expect(Sys.GetAffinity(0, out ulong original), 0, "getaffinity of the caller");
        Check((original & 1) != 0, "a new thread may run on CPU 0");
        Expect(Sys.SetAffinity(0, 0), -Errno.EINVAL, "an empty mask");
        Expect(Sys.SetAffinity(0, 1UL << 63), -Errno.EINVAL, "a mask naming only a CPU that does not exist");
        Expect(Sys.SetAffinity(999999, 1), -Errno.ESRCH, "a thread that does not exist");
        Expect(Sys.Call(SyscallNumbers.GetAffinity, 0, KernelAddress), -Errno.EFAULT, "getaffinity into kernel memory");
        Expect(Sys.Call(SyscallNumbers.CpuInfo, 0, KernelAddress), -Errno.EFAULT, "cpuinfo into kernel memory");
        Expect(Sys.CpuInfo(-1, out CpuInfo unused), -Errno.EINVAL, "a negative CPU index");
        Expect(Sys.CpuInfo(cpus, out unused), 0, "past the last CPU");

        // The caller moves at once: on the way out of setaffinity it is already on the new CPU.
        int self = (int)Sys.GetThreadId();
        for (int cpu = 0; cpu < cpus; cpu++)
        {
            Expect(Sys.SetAffinity(0, 1UL << cpu), 0, "setaffinity to CPU " + cpu);
            Sys.CpuInfo(cpu, out CpuInfo info);
            Expect(info.RunningThreadId, self, "CPU " + cpu + " runs the thread pinned to it");
            Sys.GetAffinity(0, out ulong mask);
            Check(mask == 1UL << cpu, "getaffinity gives back the mask");
        }
        Sys.SetAffinity(0, original);

        // Another thread, pinned while it spins, is only ever on its CPU (the CPU it runs on, or last
        // ran on when the sample catches it waiting its turn).
        int target = cpus - 1;
        s_deadline = Sys.Uptime() + 400;
        int spinner = UserThread.Start(&Spinner, 0, "pinned");
        Expect(Sys.SetAffinity(spinner, 1UL << target), 0, "pin the spinner to CPU " + target);
        Sys.Sleep(20);
        int elsewhere = 0;
        for (int sample = 0; sample < 20; sample++)
        {
            if (CpuOf(spinner) != target) elsewhere++;
            Sys.Sleep(10);
        }
        Expect(elsewhere, 0, "samples of the pinned spinner on another CPU than " + target);
        UserThread.Join(spinner);
    }

    private static void CpuBoundThreadsOccupyEveryCpu()
    {
        // As many spinners as CPUs: placement and load balancing should give each CPU one, so every
        // CPU is busy (not idle) nearly all the time while they run. Each CPU's own busy and idle
        // ticks are compared, so a host that runs the virtual CPUs slowly does not matter.
        int cpus = CpuCount();
        int[] ids = new int[cpus];
        s_deadline = Sys.Uptime() + 500;
        for (int i = 0; i < cpus; i++) ids[i] = UserThread.Start(&Spinner, 0, "spinner");
        Sys.Sleep(100);
        long[] busy = new long[cpus], idle = new long[cpus];
        for (int cpu = 0; cpu < cpus; cpu++)
        {
            Sys.CpuInfo(cpu, out CpuInfo before);
            busy[cpu] = before.BusyTicks;
            idle[cpu] = before.IdleTicks;
        }
        Sys.Sleep(300);
        string shares = "";
        for (int cpu = 0; cpu < cpus; cpu++)
        {
            Sys.CpuInfo(cpu, out CpuInfo after);
            long busyTicks = after.BusyTicks - busy[cpu], idleTicks = after.IdleTicks - idle[cpu];
            long percent = busyTicks + idleTicks == 0 ? 0 : busyTicks * 100 / (busyTicks + idleTicks);
            Check(percent >= 90, "CPU " + cpu + " was busy " + percent + "% of the time (" + busyTicks + " busy, " + idleTicks + " idle ticks)");
            shares += " " + percent + "%";
        }
        Console.WriteLine("  busy share per CPU:" + shares);
        foreach (int id in ids) UserThread.Join(id);
    }

    private static void BusyThreadsTakeSeparateCores()
    {
        // Two hyper-threads of one core share its execution units: with two busy threads and at
        // least two cores, a good placement gives each thread a core of its own. (With a single
        // core there is nothing to choose, and the test only checks that both threads ran.)
        int cpus = CpuCount();
        int cores = 0;
        int[] coreOf = new int[cpus];
        for (int cpu = 0; cpu < cpus; cpu++)
        {
            Sys.CpuInfo(cpu, out CpuInfo info);
            coreOf[cpu] = info.Package * 1024 + info.Core;
            bool newCore = true;
            for (int other = 0; other < cpu; other++) if (coreOf[other] == coreOf[cpu]) newCore = false;
            if (newCore) cores++;
        }
        s_deadline = Sys.Uptime() + 500;
        int first = UserThread.Start(&Spinner, 0, "smt-a");
        int second = UserThread.Start(&Spinner, 0, "smt-b");
        Sys.Sleep(50);
        int together = 0, sameCore = 0;
        for (int sample = 0; sample < 30; sample++)
        {
            int a = RunningCpuOf(first), b = RunningCpuOf(second);
            if (a >= 0 && b >= 0)
            {
                together++;
                if (coreOf[a] == coreOf[b]) sameCore++;
            }
            Sys.Sleep(10);
        }
        UserThread.Join(first);
        UserThread.Join(second);
        Console.WriteLine("  " + cores + " cores; both running in " + together + " samples, on one core in " + sameCore);
        // The sampling thread needs a CPU of its own, or it always displaces one of the two.
        if (cores < 2 || cpus < 3) return;
        Check(together > 0, "both spinners were seen running at once");
        Check(sameCore * 10 <= together, "the two spinners shared a core in " + sameCore + " of " + together + " samples (at most 10%)");
    }
}
