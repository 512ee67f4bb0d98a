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
/// exhaustion of memory, processes and threads, and blocking that a kill must interrupt.
/// TestSuite (userland/Lib/TestSuite.cs) prints "hostile: N passed, M failed"; the exit status is M.
/// </summary>
public static unsafe class HostileTests
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
        // ---- Blocking that kill must interrupt ----
        new UserTest { Name = "join-cycle-is-refused", Body = &JoinCycleIsRefused },
        new UserTest { Name = "kill-ends-threads-that-join-each-other", Body = &KillEndsThreadsThatJoinEachOther },
        new UserTest { Name = "exit-ends-blocked-threads", Body = &ExitEndsBlockedThreads },
        new UserTest { Name = "thread-exit-status-is-one-byte", Body = &ThreadExitStatusIsOneByte },
        new UserTest { Name = "zero-length-read-returns", Body = &ZeroLengthReadReturns },
        new UserTest { Name = "placeholder", Body = &Placeholder },
        // Helpers that the tests above run in a child process (`hostile NAME`).
        new UserTest { Name = "thread-empty-name-unjoined", Body = &UnjoinedThreadWithAnEmptyName, OnlyWhenNamed = true },
    };

    public static int Main(string[] args)
    {
        // `hostile --as ROLE`: the child process some tests start, playing a part (see BlockingRoles).
        if (args.Length == 2 && args[0] == "--as") return BlockingRoles.Play(args[1]);
        int failed = TestSuite.Run("hostile", All(), args);
        // The file system has no unlink: empty the scratch files the tests wrote, so that their frames
        // are free again for the memory check when init exits (the files' names stay, at no cost).
        foreach (string scratch in new[] { MutantPath, RefusalsPath })
        {
            long file = Sys.Open(scratch, OpenFlags.WriteOnly | OpenFlags.Truncate);
            if (file >= 0) Sys.Close((int)file);
        }
        return failed;
    }

    private static void Placeholder() => Check(Sys.GetPid() > 0, "getpid works");

    // ---- Sizes and offsets from a file (ELF) ----
    // Each test writes a patched copy of a real program (/bin/true, /bin/fault) to MutantPath and
    // spawns it. The kernel's loader (kernel/Loader/Elf.cs) must refuse a bad header with ENOEXEC and
    // write its reason to the would-be child's stderr; the fault report must survive any symbol table.

    private const string MutantPath = "/elf-mutant";
    private const string RefusalsPath = "/elf-refusals";
    private const int ProgramHeaderSize = 56, SectionHeaderSize = 64;

    private static void ElfBadHeaders()
    {
        byte[] original = ReadProgram("/bin/true", out int length);
        if (original == null) return;
        int refusals = OpenRefusals();
        Expect(RunCopy(original, length, refusals), 0, "an unchanged copy of /bin/true runs");
        int code = LoadHeader(original, 0), data = LoadHeader(original, 2);
        ulong codeAddress = Get(original, code + 16, 8), dataAddress = Get(original, data + 16, 8);

        ExpectRefused(original, length, refusals, 32, 8, 0xFFFFFFFFFFFFFFC0, "e_phoff = 2^64 - 64 (the bounds check wrapped)");
        ExpectRefused(original, length, refusals, 56, 2, 0xFFFF, "e_phnum = 65535");
        ExpectRefused(original, length, refusals, 54, 2, 0, "e_phentsize = 0");
        ExpectRefused(original, length, refusals, 24, 8, 0x800000000000, "entry at the first non-canonical address");
        ExpectRefused(original, length, refusals, 24, 8, dataAddress, "entry in a data segment");
        ExpectRefused(original, length, refusals, code + 4, 4, 7, "a writable and executable segment");
        ExpectRefused(original, length, refusals, data + 40, 8, 1UL << 30, "a 1 GiB p_memsz");
        ExpectRefused(original, length, refusals, data + 32, 8, Get(original, data + 40, 8) + 1, "p_filesz > p_memsz");
        ExpectRefused(original, length, refusals, code + 16, 8, 0, "a segment at address 0");
        ExpectRefused(original, length, refusals, code + 16, 8, 0xFFFF800000000000, "a segment in the kernel's half");
        ExpectRefused(original, length, refusals, data + 16, 8, 0xFFFFFFFFFFFFF000, "a segment whose end wraps around");
        ExpectRefused(original, length, refusals, data + 16, 8, codeAddress, "two segments at one address");
        ExpectRefused(original, length, refusals, code + 48, 8, 3, "an alignment that is not a power of two");
        ExpectRefused(original, length, refusals, 4, 1, 1, "a 32-bit ELF");

        // p_offset + p_filesz wraps around to a small number: the loader once read far outside the file.
        byte[] copy = Copy(original, length);
        Put(copy, code + 8, 8, 0xFFFFFFFFFFFFF000);
        Put(copy, code + 32, 8, 0x2000);
        Put(copy, code + 40, 8, 0x2000);
        Expect(SpawnCopy(copy, length, new[] { "true" }, refusals), -Errno.ENOEXEC, "p_offset + p_filesz wraps");
        Expect(SpawnCopy(original, 100, new[] { "true" }, refusals), -Errno.ENOEXEC, "a file cut after its program headers");
        Sys.Close(refusals);
        string reasons = Files.ReadAllText(RefusalsPath, out long unused);
        Check(reasons != null && reasons.IndexOf("entry point") >= 0, "the reason for a refusal reaches the child's stderr");
    }

    // A seeded stream of random changes to /bin/true's headers, program headers and section headers
    // (and, less often, anywhere): each mutant is refused or runs; one that runs is killed if it has
    // not ended. Before the loader checked every field, one of the first 20 mutants crashed the kernel.
    private static void ElfMutations()
    {
        byte[] original = ReadProgram("/bin/true", out int length);
        if (original == null) return;
        int refusals = OpenRefusals();
        ulong seed = 0x7EAC4052;
        int sectionsAt = (int)Get(original, 40, 8), sectionsEnd = sectionsAt + (int)Get(original, 60, 2) * SectionHeaderSize;
        int headersEnd = (int)Get(original, 32, 8) + (int)Get(original, 56, 2) * ProgramHeaderSize;
        int refused = 0, ran = 0, other = 0;
        byte[] mutant = new byte[length];
        for (int round = 0; round < 150; round++)
        {
            for (int i = 0; i < length; i++) mutant[i] = original[i];
            int changes = 1 + (int)(Next(ref seed) % 4);
            for (int c = 0; c < changes; c++)
            {
                ulong choice = Next(ref seed);
                int at = (choice & 3) < 2 ? (int)(Next(ref seed) % (ulong)headersEnd)
                       : (choice & 3) == 2 ? sectionsAt + (int)(Next(ref seed) % (ulong)(sectionsEnd - sectionsAt))
                       : (int)(Next(ref seed) % (ulong)length);
                if ((choice & 4) != 0 && at + 8 <= length) Put(mutant, at & ~7, 8, Interesting(Next(ref seed), (ulong)length));
                else mutant[at] = (byte)Next(ref seed);
            }
            long pid = SpawnCopy(mutant, length, new[] { "true" }, refusals);
            if (pid == -Errno.ENOEXEC) { refused++; continue; }
            if (pid < 0) { other++; continue; }
            ran++;
            for (int y = 0; y < 3; y++) Sys.Yield();
            Sys.Kill((int)pid);                                      // a mutant may loop forever
            Sys.Wait((int)pid, out int status);
        }
        Sys.Close(refusals);
        Expect(other, 0, "every spawn of a mutant ran or was refused with ENOEXEC");
        Check(refused > 0 && ran > 0, "some mutants were refused and some ran");
        Expect(RunCopy(original, length, 2), 0, "afterwards an unchanged copy still runs");
    }

    // /bin/fault divides by zero; the report names the function from the program's symbol table,
    // which here is broken in a different way each time. The program must still be killed with 136.
    private static void ElfBrokenSymbolsInFaultReport()
    {
        byte[] original = ReadProgram("/bin/fault", out int length);
        if (original == null) return;
        int symbols = SectionOfType(original, 2);                      // SHT_SYMTAB
        Check(symbols > 0, "/bin/fault has a symbol table");
        if (symbols <= 0) return;
        FaultWithPatch(original, length, 40, 8, 0xFFFFFFFFFFFFFFC0, "e_shoff = 2^64 - 64");
        FaultWithPatch(original, length, 60, 2, 0xFFFF, "e_shnum = 65535");
        FaultWithPatch(original, length, symbols + 24, 8, 0xFFFFFFFFFFFFFFF8, "the symbol table at 2^64 - 8");
        FaultWithPatch(original, length, symbols + 32, 8, 0xFFFFFFFFFFFFFFFF, "a symbol table of 2^64 - 1 bytes");
        FaultWithPatch(original, length, symbols + 40, 4, 0xFFFFFFFF, "sh_link names no section");
        FaultWithPatch(original, length, symbols + 56, 8, 0, "symbols of size 0");
        int strings = (int)Get(original, 40, 8) + (int)Get(original, symbols + 40, 4) * SectionHeaderSize;
        FaultWithPatch(original, length, strings + 24, 8, 0xFFFFFFFFFFFFFFFF, "the string table at 2^64 - 1");
        FaultWithPatch(original, length, strings + 32, 8, 1, "a string table of one byte");
    }

    // Each refused spawn once left 320 bytes of kernel heap behind. The frames are checked when init
    // exits (tests/Integration); the kernel heap's bytes by the kernel test `elf-refusals`.
    private static void ElfRefusalsLeakNothing()
    {
        byte[] original = ReadProgram("/bin/true", out int length);
        if (original == null) return;
        byte[] copy = Copy(original, length);
        Put(copy, LoadHeader(copy, 1) + 8, 8, 0x100000);                  // past the end of the file
        int refusals = OpenRefusals();
        int wrong = 0;
        if (SpawnCopy(copy, length, new[] { "true" }, refusals) != -Errno.ENOEXEC) wrong++;
        for (int i = 1; i < 200; i++)
            if (Sys.Spawn(MutantPath, new[] { "true" }, 0, 1, refusals) != -Errno.ENOEXEC) wrong++;
        Sys.Close(refusals);
        Expect(wrong, 0, "200 spawns of a bad program are refused with ENOEXEC");
        Expect(RunCopy(original, length, 2), 0, "then a good program still runs");
    }

    private static void FaultWithPatch(byte[] original, int length, int at, int size, ulong value, string what)
    {
        byte[] copy = Copy(original, length);
        Put(copy, at, size, value);
        long pid = SpawnCopy(copy, length, new[] { "fault", "divide" }, 2);
        Check(pid > 0, "spawn of /bin/fault with " + what);
        int status = -1;
        if (pid > 0) Sys.Wait((int)pid, out status);
        Expect(status, 136, "killed by its #DE, reported despite " + what);
    }

    private static void ExpectRefused(byte[] original, int length, int refusals, int at, int size, ulong value, string what)
    {
        byte[] copy = Copy(original, length);
        Put(copy, at, size, value);
        long pid = SpawnCopy(copy, length, new[] { "true" }, refusals);
        Expect(pid, -Errno.ENOEXEC, what);
        if (pid > 0)
        {
            Sys.Kill((int)pid);
            Sys.Wait((int)pid, out int unused);
        }
    }

    private static long RunCopy(byte[] image, int length, int errorOutput)
    {
        long pid = SpawnCopy(image, length, new[] { "true" }, errorOutput);
        if (pid < 0) return pid;
        Sys.Wait((int)pid, out int status);
        return status;
    }

    private static long SpawnCopy(byte[] image, int length, string[] arguments, int errorOutput)
    {
        long descriptor = Sys.Open(MutantPath, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (descriptor < 0) return descriptor;
        long written = Sys.Write((int)descriptor, new ReadOnlySpan<byte>(image, 0, length));
        Sys.Close((int)descriptor);
        if (written != length) return -Errno.EIO;
        return Sys.Spawn(MutantPath, arguments, 0, 1, errorOutput);
    }

    private static int OpenRefusals() => (int)Sys.Open(RefusalsPath, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);

    private static byte[] ReadProgram(string path, out int length)
    {
        length = 0;
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly);
        Check(descriptor >= 0, "open " + path);
        if (descriptor < 0) return null;
        Sys.FileStatus((int)descriptor, out FileStatus status);
        byte[] bytes = new byte[status.Size];
        while (length < bytes.Length)
        {
            long read = Sys.Read((int)descriptor, new Span<byte>(bytes, length, bytes.Length - length));
            if (read <= 0) break;
            length += (int)read;
        }
        Sys.Close((int)descriptor);
        Check(length == bytes.Length && length > 64, "read all of " + path);
        return length == bytes.Length ? bytes : null;
    }

    // The file offset of the index-th PT_LOAD program header.
    private static int LoadHeader(byte[] image, int index)
    {
        int table = (int)Get(image, 32, 8), count = (int)Get(image, 56, 2);
        for (int i = 0; i < count; i++)
        {
            int at = table + i * ProgramHeaderSize;
            if (Get(image, at, 4) == 1 && index-- == 0) return at;
        }
        return table;
    }

    // The file offset of the first section header of the given type (0 if none).
    private static int SectionOfType(byte[] image, uint type)
    {
        int table = (int)Get(image, 40, 8), count = (int)Get(image, 60, 2);
        for (int i = 0; i < count; i++)
            if (Get(image, table + i * SectionHeaderSize + 4, 4) == type) return table + i * SectionHeaderSize;
        return 0;
    }

    private static byte[] Copy(byte[] original, int length)
    {
        byte[] copy = new byte[length];
        for (int i = 0; i < length; i++) copy[i] = original[i];
        return copy;
    }

    private static ulong Get(byte[] bytes, int at, int size)
    {
        ulong value = 0;
        for (int i = size - 1; i >= 0; i--) value = value << 8 | bytes[at + i];
        return value;
    }

    private static void Put(byte[] bytes, int at, int size, ulong value)
    {
        for (int i = 0; i < size; i++) bytes[at + i] = (byte)(value >> (8 * i));
    }

    // Values that break naive arithmetic: wrap-arounds, huge sizes, user space's end, the file's end.
    private static ulong Interesting(ulong random, ulong fileLength)
    {
        switch (random % 8)
        {
            case 0: return 0;
            case 1: return 0xFFFFFFFFFFFFFFC0;
            case 2: return 0x8000000000000000;
            case 3: return 1UL << 30;
            case 4: return 0x800000000000;
            case 5: return fileLength;
            case 6: return 0xFFFFFFFF;
            default: return random;
        }
    }

    // xorshift64: a reproducible stream from one seed.
    private static ulong Next(ref ulong state)
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }

    // ---- Who owns a string the kernel keeps ----
    // The kernel copies every string it keeps (a process's name, a thread's name, an argument) and frees
    // its copy when done. These once freed the empty string of the kernel image (string.Empty, which an
    // empty copy used to return) or the caller's own string (a name that was the whole path).

    private static int RunToEnd(string path, string[] arguments)
    {
        long pid = Sys.Spawn(path, arguments, Console.StandardInput, Console.StandardOutput, Console.StandardError);
        if (pid < 0) return (int)pid;
        Sys.Wait((int)pid, out int status);
        return status;
    }

    private static void SpawnWithAnEmptyArgument()
    {
        Expect(RunToEnd("/bin/true", new[] { "true", "" }), 0, "spawn /bin/true with an empty argument");
        Expect(RunToEnd("/bin/echo", new[] { "", "" }), 0, "spawn /bin/echo with an empty argv[0]");
        Check(Sys.GetPid() > 0, "the kernel still answers");
    }

    private static void SpawnOfTheEmptyPath()
    {
        Expect(Sys.Spawn("", new[] { "x" }, 0, 1, 2), -Errno.ENOENT, "spawn of the empty path");
        Expect(Sys.Spawn("", new[] { "" }, 0, 1, 2), -Errno.ENOENT, "spawn of the empty path with an empty argument");
        Expect(RunToEnd("/bin/true", new[] { "true" }), 0, "spawn still works");
    }

    private static int ReturnSeven(ulong argument) => 7;

    private static void ThreadWithAnEmptyName()
    {
        int joined = UserThread.Start(&ReturnSeven, 0, "");
        Check(joined > 0, "thread_create with the name \"\"");
        if (joined > 0) Expect(UserThread.Join(joined), 7, "join the thread named \"\"");
        // One left for the kernel to free when the process is reaped: run it as a child that exits.
        Expect(RunToEnd("/bin/hostile", new[] { "hostile", "thread-empty-name-unjoined" }), 0, "a child whose thread \"\" is never joined");
    }

    private static void UnjoinedThreadWithAnEmptyName()
    {
        Check(UserThread.Start(&ReturnSeven, 0, "") > 0, "thread_create with the name \"\"");
        Sys.Sleep(20);
    }

    private static void SpawnOfAPathWithoutSlash()
    {
        // The process's name is the path's last part: here the whole path, the caller's own string.
        Expect(CopyFile("/bin/true", "/true"), 0, "copy /bin/true to /true");
        for (int i = 0; i < 3; i++) Expect(RunToEnd("true", new[] { "true" }), 0, "spawn \"true\" (no slash)");
        Expect(RunToEnd("/true", new[] { "true" }), 0, "spawn \"/true\"");
        Truncate("/true");
    }

    private static long CopyFile(string from, string to)
    {
        long input = Sys.Open(from, OpenFlags.ReadOnly);
        if (input < 0) return input;
        long output = Sys.Open(to, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (output < 0) { Sys.Close((int)input); return output; }
        long copied = Files.Copy((int)input, (int)output);
        Sys.Close((int)input);
        Sys.Close((int)output);
        return copied < 0 ? copied : 0;
    }

    // ---- File-system paths ----

    private static void PathUnderARegularFile()
    {
        // /etc/motd is a file: nothing can be under it, whether the last part exists or not.
        Expect(Sys.Open("/etc/motd/x", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOTDIR, "create /etc/motd/x");
        Expect(Sys.Open("/etc/motd/x", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/x");
        Expect(Sys.Open("/etc/motd/x/y", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOTDIR, "create /etc/motd/x/y");
        Expect(Sys.Open("/etc/motd/", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/ (a trailing slash asks for a directory)");
        Expect(Sys.Open("/etc/motd/.", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/.");
        Expect(Sys.Open("/etc/motd/..", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/..");
        Expect(Sys.Open("/no/such/x", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOENT, "create under a missing directory");
        long file = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        Check(file >= 0, "/etc/motd still opens");
        if (file >= 0)
        {
            Expect(Sys.ReadDirectory((int)file, 0, out DirectoryEntry entry), -Errno.ENOTDIR, "readdir of a file");
            Sys.Close((int)file);
        }
        Expect(Sys.Spawn("/etc/motd/x", new[] { "x" }, 0, 1, 2), -Errno.ENOTDIR, "spawn /etc/motd/x");
    }

    // Writes to `descriptor` until the file system says no; returns the bytes written and the refusal.
    private static long FillFile(int descriptor, byte[] chunk, out long refusal)
    {
        long total = 0;
        refusal = 0;
        while (total < 1L << 30)
        {
            long written = Sys.Write(descriptor, chunk);
            if (written < 0) { refusal = written; break; }
            total += written;
            if (written < chunk.Length)
            {
                refusal = Sys.Write(descriptor, chunk);       // the next write is refused outright
                break;
            }
        }
        return total;
    }

    private static void FileSystemFullIsAnError()
    {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)i;
        long file = Sys.Open("/tmp-big", OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        Check(file >= 0, "create /tmp-big");
        if (file < 0) return;
        long first = FillFile((int)file, chunk, out long refusal);
        Expect(refusal, -Errno.ENOSPC, "a write past the RAM file system's limit");
        Check(first > 1024 * 1024, "more than 1 MiB fits before the limit");
        Console.WriteLine("  " + first / 1024 + " KiB fit before ENOSPC");
        Sys.FileStatus((int)file, out FileStatus status);
        Expect(status.Size, first, "the file's size is what was written");
        Sys.Close((int)file);

        // The file system still works: the file reads back, and truncating it gives the space back.
        Expect(Files.ReadAllText("/etc/motd", out long error) != null ? 0 : error, 0, "read /etc/motd while full");
        file = Sys.Open("/tmp-big", OpenFlags.WriteOnly | OpenFlags.Truncate);
        Check(file >= 0, "truncate /tmp-big");
        if (file < 0) return;
        Expect(Files.WriteAllText("/tmp-small", "still works\n"), 0, "write a small file after truncating");
        Expect(Files.ReadAllText("/tmp-small", out error) == "still works\n" ? 0 : -1, 0, "read the small file back");
        Truncate("/tmp-small");
        long second = FillFile((int)file, chunk, out refusal);
        Expect(refusal, -Errno.ENOSPC, "full again");
        Expect(second, first, "bytes that fit after truncating (all the space came back)");
        Sys.Close((int)file);
        Truncate("/tmp-big");
    }

    // Empties a file (there is no unlink): its space goes back to the file system.
    private static void Truncate(string path)
    {
        long file = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Truncate);
        Check(file >= 0, "truncate " + path);
        if (file >= 0) Sys.Close((int)file);
    }

    // ---- The address space: heap, stack and the gaps between them ----

    private const long Page = 4096, MiB = 1024 * 1024;

    /// <summary>
    /// The regions of a process's user half, as kernel/Mem/UserLayout.cs draws them (and the guide's
    /// processes chapter explains): a program is only a program if its segments end at or below
    /// ProgramCeiling; its heap may then grow up to HeapCeiling, and the guard gap under the stack is
    /// never mapped.
    /// </summary>
    private const ulong StackTop = 0x00007FFFFFFFF000, StackBottom = StackTop - 16 * 4096;
    private const ulong HeapCeiling = StackBottom - 1024 * 1024, ProgramCeiling = HeapCeiling - 1024 * 1024;

    private const long RaceBytes = 16 * Page;
    private const int RaceRounds = 1000;

    private static volatile bool s_raceStarted;

    // Grows the heap and shrinks it again, RaceRounds times, while the other thread does the same.
    // Neither touches the pages: with a correct kernel the other thread's shrink may take them away.
    private static int GrowAndShrink(ulong unused)
    {
        while (!s_raceStarted) Sys.Yield();               // until both threads exist (their stacks are heap)
        int failures = 0;
        for (int i = 0; i < RaceRounds; i++)
        {
            if (Sys.Sbrk(RaceBytes) < 0) failures++;
            if (Sys.Sbrk(-RaceBytes) < 0) failures++;
        }
        return failures;
    }

    /// <summary>
    /// Bug 7: sbrk read the break, mapped pages and wrote the break back without one lock around it, so
    /// two threads lost each other's changes: the break ended elsewhere (once below its start), pages were
    /// mapped twice over and their frames lost for good: the heap can have less memory after the race.
    /// </summary>
    private static void SbrkFromTwoThreads()
    {
        long start = Sys.Sbrk(0);
        long highestBefore = PageUp(start) + HeapCapacity(MiB);
        int first = UserThread.Start(&GrowAndShrink, 0, "sbrk-a");
        int second = UserThread.Start(&GrowAndShrink, 0, "sbrk-b");
        long afterStart = Sys.Sbrk(0);                    // the threads' stacks came from the heap
        if (Sys.CpuInfo(1, out CpuInfo unused) == 1)      // two CPUs: one thread on each, really at once
        {
            Sys.SetAffinity(first, 1UL << 0);
            Sys.SetAffinity(second, 1UL << 1);
        }
        s_raceStarted = true;
        Check(first > 0 && second > 0, "two threads start");
        Expect(UserThread.Join(first), 0, "every sbrk of the first thread succeeds");
        Expect(UserThread.Join(second), 0, "every sbrk of the second thread succeeds");
        Expect(Sys.Sbrk(0), afterStart, "the break is back where it was before the race");
        Check(Sys.Sbrk(0) >= start, "the break is not below where it started");
        // The threads' stacks took pages from the heap; the highest address the heap reaches stays.
        Expect(PageUp(afterStart) + HeapCapacity(MiB), highestBefore, "the heap can reach as high as before the race");
    }

    private static long PageUp(long address) => (address + Page - 1) & ~(Page - 1);

    /// <summary>
    /// How many bytes the heap can grow by, in steps of <paramref name="step"/> and then of a page, until
    /// sbrk refuses (with ENOMEM); it shrinks back before it returns. Every frame free for a user is counted.
    /// </summary>
    private static long HeapCapacity(long step)
    {
        long start = Sys.Sbrk(0), grown = 0;
        for (long size = step; size >= Page; size = size == Page ? 0 : Page)
        {
            long result;
            while ((result = Sys.Sbrk(size)) >= 0) grown += size;
            Expect(result, -Errno.ENOMEM, "growing the heap until it ends in ENOMEM");
        }
        Expect(Sys.Sbrk(-grown), start + grown, "shrinking the heap back");
        return grown;
    }

    /// <summary>
    /// sbrk that runs out of memory half-way must give back what it took: it used to leave the pages it
    /// had mapped past the break (and map over them the next time, losing their frames for good), so the
    /// heap could have less memory afterwards. Sizes that wrap around, reach past user space or below the
    /// heap's start are refused and change nothing.
    /// </summary>
    private static void SbrkExhaustionComesBack()
    {
        long start = Sys.Sbrk(0);
        long capacity = HeapCapacity(MiB);
        Check(capacity > 16 * MiB, "more than 16 MiB can be had");
        long tooMuch = Sys.Sbrk(capacity + 16 * Page);           // more than there is, within the heap's limit
        if (tooMuch >= 0) Sys.Sbrk(-(capacity + 16 * Page));
        else Expect(tooMuch, -Errno.ENOMEM, "sbrk of more than there is");
        Expect(HeapCapacity(MiB), capacity, "after a refused sbrk, the heap can have as much memory as before");
        Expect(HeapCapacity(Page), capacity, "growing by pages gets as much as by 1 MiB steps, then pages");
        Expect(HeapCapacity(MiB), capacity, "and after that, growing by 1 MiB steps still gets as much");

        Expect(Sys.Sbrk(long.MaxValue), -Errno.ENOMEM, "sbrk(long.MaxValue)");
        Expect(Sys.Sbrk(long.MinValue), -Errno.EINVAL, "sbrk(long.MinValue)");
        Expect(Sys.Sbrk((long)(StackBottom - (ulong)start)), -Errno.ENOMEM, "sbrk up to the stack");
        Expect(Sys.Sbrk((long)(EndOfUserSpace - (ulong)start)), -Errno.ENOMEM, "sbrk to the end of user space");
        Expect(Sys.Sbrk(-start), -Errno.EINVAL, "sbrk down to address 0");
        Expect(Sys.Sbrk(0), start, "the break is back");
    }

    /// <summary>
    /// Writes a copy of this program (/bin/hostile) whose GNU_STACK program header became a loadable
    /// data segment of one page ending at <paramref name="segmentEnd"/>: a program whose last segment
    /// lies where the caller wants it, and whose code still runs as before.
    /// </summary>
    private static bool WriteProgramEndingAt(string path, ulong segmentEnd)
    {
        byte[] image = ReadWholeFile("/bin/hostile");
        if (image == null || image.Length < 64) return false;
        fixed (byte* bytes = image)
        {
            ulong headers = *(ulong*)(bytes + 0x20);                   // e_phoff
            int size = *(ushort*)(bytes + 0x36), count = *(ushort*)(bytes + 0x38);
            for (int i = 0; i < count; i++)
            {
                byte* header = bytes + headers + (ulong)(i * size);
                if (*(uint*)header != 0x6474E551) continue;           // PT_GNU_STACK
                *(uint*)header = 1;                                    // PT_LOAD
                *(uint*)(header + 4) = 6;                              // readable, writable
                *(ulong*)(header + 8) = 0;                             // offset
                *(ulong*)(header + 16) = segmentEnd - (ulong)Page;     // virtual address
                *(ulong*)(header + 24) = segmentEnd - (ulong)Page;     // physical address
                *(ulong*)(header + 32) = 0;                            // nothing from the file: all .bss
                *(ulong*)(header + 40) = (ulong)Page;                  // one page in memory
                *(ulong*)(header + 48) = (ulong)Page;
                long descriptor = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
                if (descriptor < 0) return false;
                long written = Sys.Write((int)descriptor, new ReadOnlySpan<byte>(bytes, image.Length));
                Sys.Close((int)descriptor);
                return written == image.Length;
            }
        }
        return false;
    }

    private static byte[] ReadWholeFile(string path)
    {
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly);
        if (descriptor < 0) return null;
        byte[] data = new byte[0];
        if (Sys.FileStatus((int)descriptor, out FileStatus status) == 0) data = new byte[status.Size];
        long done = 0;
        fixed (byte* bytes = data)
            while (done < data.Length)
            {
                long read = Sys.Read((int)descriptor, new Span<byte>(bytes + done, (int)(data.Length - done)));
                if (read <= 0) break;
                done += read;
            }
        Sys.Close((int)descriptor);
        return done == data.Length ? data : null;
    }

    private const string CraftedProgram = "/hostile-layout";

    // Empties a file the test wrote, so its pages go back (the RAM file system has no unlink).
    private static void Empty(string path) =>
        Sys.Close((int)Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Truncate));

    private static long RunAndWait(string path, string test, out int status)
    {
        status = -1;
        long pid = Sys.Spawn(path, new[] { "hostile", test }, 0, 1, 2);
        if (pid > 0) Sys.Wait((int)pid, out status);
        return pid;
    }

    /// <summary>
    /// Bug 8: a program whose last segment ends just under the stack left its heap no room: sbrk of 17
    /// pages replaced the stack's pages (and lost them), 19 walked into the kernel's half and faulted
    /// in the kernel. Such a program intrudes into the heap's reserve and the stack's guard gap, and
    /// the loader refuses it.
    /// </summary>
    private static void SegmentUnderTheStackIsRefused()
    {
        const string path = CraftedProgram;
        Check(WriteProgramEndingAt(path, StackBottom - (ulong)Page), "write a program whose last segment ends just under the stack");
        long pid = RunAndWait(path, "heap-to-the-ceiling", out int status);
        Expect(pid, -Errno.ENOEXEC, "spawn of a program that reaches into the stack's guard gap");
        Check(WriteProgramEndingAt(path, HeapCeiling), "write a program whose last segment ends at the heap's ceiling");
        Expect(RunAndWait(path, "heap-to-the-ceiling", out status), -Errno.ENOEXEC, "spawn of a program that leaves no room for a heap");
        Empty(path);
    }

    /// <summary>
    /// The highest program the layout allows (its last segment ends at ProgramCeiling): its heap grows
    /// page by page until sbrk says ENOMEM, below the guard gap, and its stack still works.
    /// </summary>
    private static void HeapStopsAtTheGuardGap()
    {
        const string path = CraftedProgram;
        Check(WriteProgramEndingAt(path, ProgramCeiling), "write a program whose last segment ends at the highest address allowed");
        long pid = RunAndWait(path, "heap-to-the-ceiling", out int status);
        Check(pid > 0, "the highest program allowed starts");
        Expect(status, 0, "its heap stops below the guard gap and its stack still works");
        Empty(path);
    }

    // Touches `depth` frames of 512 bytes of stack and adds up what it wrote, so the stack must work.
    private static long UseTheStack(int depth)
    {
        byte* frame = stackalloc byte[512];
        for (int i = 0; i < 512; i++) frame[i] = (byte)depth;
        long below = depth > 0 ? UseTheStack(depth - 1) : 0;
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += frame[i];
        return sum + below;
    }

    /// <summary>Run in the program WriteProgramEndingAt made: grow the heap a page at a time until refused.</summary>
    private static void HeapToTheCeiling()
    {
        long start = Sys.Sbrk(0);
        long stackMark = 0;
        ulong stackAddress = (ulong)&stackMark;
        long last = 0, pages = 0;
        while (pages < 100000 && (last = Sys.Sbrk(Page)) >= 0)
        {
            *(long*)last = pages;                  // the page is there and ours
            pages++;
        }
        Expect(last, -Errno.ENOMEM, "sbrk stops with ENOMEM");
        ulong end = (ulong)Sys.Sbrk(0);
        Check(end <= HeapCeiling, "the heap ends below the stack's guard gap");
        Check(stackAddress >= StackBottom && stackAddress < StackTop, "the stack is where the layout puts it");
        Check(UseTheStack(48) == 512L * (48 * 49 / 2), "the stack still works (about 30 KiB of it used)");
        Expect(Sys.Sbrk(-(long)(end - (ulong)start)), (long)end, "the heap shrinks back");
    }

    // ---- Exhaustion: memory, processes, threads, kernel stacks ----
    // Each of these once ended in a kernel panic. Now the limits of kernel/Sched/Limits.cs give -EAGAIN,
    // the frame reserve of kernel/Mem/MemoryBudget.cs gives -ENOMEM, and the out-of-memory killer
    // (kernel/Sched/OutOfMemoryKiller.cs) kills the process holding the most memory; the limits and
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
    // reaches end of file, then gives them back. It allocates nothing on its heap meanwhile.
    private static void Hog()
    {
        long taken = 0;
        for (long chunk = 1024 * 1024; chunk >= 4096; chunk /= 16)
            while (Sys.Sbrk(chunk) >= 0) taken += chunk;
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

    // ---- Blocking that kill must interrupt ----
    // A killed process must end whatever its threads wait for (a join, a child, a pipe, a timer), and a
    // join that could never end is refused with -EDEADLK. Before the fix, two threads joining each
    // other waited for ever, kill or exit notwithstanding. A test that would hang reports itself
    // through a watchdog thread, which fails it and ends this program, so the failure is seen.

    internal const int BlockedState = 2;                        // ThreadInfo.State (abi/Structures.cs)

    private static int s_mainThread, s_middleThread;
    private static long s_joinResult;

    private static void JoinCycleIsRefused()
    {
        Watchdog.Start("a join cycle", 10000);
        // Two threads: main joins a helper, which joins main back once main is blocked.
        s_mainThread = (int)Sys.GetThreadId();
        s_joinResult = 0;
        int helper = UserThread.Start(&JoinMainOnceBlocked, 0, "joins-main");
        Expect(Sys.ThreadJoin(helper), 0, "main joins the helper (which is refused when it joins main)");
        Expect(s_joinResult, -Errno.EDEADLK, "a thread joining the thread that joins it");

        // Three: main joins the first, the first joins the second, the second joins main.
        s_joinResult = 0;
        int last = UserThread.Start(&JoinMainOnceBlocked, 1, "joins-main");
        s_middleThread = UserThread.Start(&JoinThread, (ulong)last, "joins-last");
        Expect(Sys.ThreadJoin(s_middleThread), 0, "main joins the middle thread of a chain of three");
        Expect(s_joinResult, -Errno.EDEADLK, "the join that would close a cycle of three");
        Watchdog.Stop();
    }

    // Waits until main (and, with argument 1, the middle thread too) is blocked in its join, then joins main.
    private static int JoinMainOnceBlocked(ulong alsoMiddle)
    {
        bool ready = WaitForState(s_mainThread, BlockedState);
        if (alsoMiddle != 0) ready &= WaitForState(s_middleThread, BlockedState);
        s_joinResult = ready ? Sys.ThreadJoin(s_mainThread) : -1;
        return 0;
    }

    private static int JoinThread(ulong threadId) => (int)Sys.ThreadJoin((int)threadId);

    private static void KillEndsThreadsThatJoinEachOther()
    {
        long pid = SpawnRole("join-each-other", out int output);
        Check(pid > 0 && ReadReady(output), "the child is ready: its threads join each other");
        Sys.Sleep(50);                                        // both are in their joins by now
        Expect(Sys.Kill((int)pid), 0, "kill the child");
        Watchdog.Start("wait for a killed process whose threads join each other", 10000);
        Expect(Sys.Wait((int)pid, out int status), pid, "wait collects it");
        Expect(status, 137, "its status is the killed status");
        Watchdog.Stop();
        Sys.Close(output);
    }

    private static void ExitEndsBlockedThreads()
    {
        long pid = SpawnRole("exit-while-blocked", out int output);
        Check(pid > 0 && ReadReady(output), "the child is ready: its threads sleep, read a pipe and join");
        Watchdog.Start("wait for a process that exits while its threads are blocked", 10000);
        Expect(Sys.Wait((int)pid, out int status), pid, "wait collects it");
        Expect(status, 7, "its status is what its main thread passed to exit");
        Watchdog.Stop();
        Sys.Close(output);
    }

    private static void ThreadExitStatusIsOneByte()
    {
        long pid = SpawnRole("thread-exit-0x12345", out int output);
        Expect(Sys.Wait((int)pid, out int status), pid, "wait collects it");
        Expect(status, 0x45, "thread_exit(0x12345) by the last thread: the status is its low byte");
        Sys.Close(output);
    }

    // Found by the fuzzer: read(fd, buffer, 0) of an empty pipe waited for ever.
    private static void ZeroLengthReadReturns()
    {
        Sys.Pipe(out PipeDescriptors pipe);
        Watchdog.Start("a read of 0 bytes from an empty pipe", 10000);
        byte* buffer = stackalloc byte[1];
        Expect(Sys.Read(pipe.Read, new Span<byte>(buffer, 0)), 0, "a read of 0 bytes returns 0 at once");
        Watchdog.Stop();
        Sys.Close(pipe.Read);
        Sys.Close(pipe.Write);
    }

    // Starts `hostile --as ROLE` with its stdout in a pipe; returns its pid and the pipe's read end.
    private static long SpawnRole(string role, out int output)
    {
        Sys.Pipe(out PipeDescriptors pipe);
        long pid = Sys.Spawn("/bin/hostile", new[] { "hostile", "--as", role }, 0, pipe.Write, 2);
        Sys.Close(pipe.Write);
        output = pipe.Read;
        return pid;
    }

    private static bool ReadReady(int descriptor)
    {
        byte* buffer = stackalloc byte[8];
        return Sys.Read(descriptor, new Span<byte>(buffer, 8)) > 0;
    }

    /// <summary>Polls threadinfo until thread <paramref name="threadId"/> is in <paramref name="state"/> (5 s at most).</summary>
    internal static bool WaitForState(int threadId, int state)
    {
        for (int tries = 0; tries < 5000; tries++)
        {
            for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
                if (info.ThreadId == threadId && info.State == state) return true;
            Sys.Sleep(1);
        }
        return false;
    }
}

/// <summary>The child processes of the blocking tests: `hostile --as ROLE`.</summary>
internal static unsafe class BlockingRoles
{
    private static int s_mainThread, s_joiner;
    private static PipeDescriptors s_silentPipe;       // this process holds both ends: a read of it blocks for ever

    public static int Play(string role)
    {
        s_mainThread = (int)Sys.GetThreadId();
        Sys.Pipe(out s_silentPipe);
        switch (role)
        {
            case "join-each-other":
                // Main joins a thread that joins main back (refused now: it then blocks on a pipe).
                int helper = UserThread.Start(&JoinMainThenBlock, 0, "joins-main");
                Ready();
                Sys.ThreadJoin(helper);
                return 1;                                   // not reached: kill ends the process first
            case "exit-while-blocked":
                int sleeper = UserThread.Start(&SleepForEver, 0, "sleeps");
                UserThread.Start(&ReadSilentPipe, 0, "reads-pipe");
                UserThread.Start(&JoinThread, (ulong)sleeper, "joins-sleeper");
                // Two threads that join each other (the second is refused now, and then blocks).
                s_joiner = UserThread.Start(&JoinThread, 0, "joins-next");
                UserThread.Start(&JoinJoinerThenBlock, 0, "joins-back");
                HostileTests.WaitForState(s_joiner, HostileTests.BlockedState);
                Sys.Sleep(50);                             // the rest are in their waits by now
                Ready();
                Sys.Exit(7);
                return 1;
            case "thread-exit-0x12345":
                Sys.ThreadExit(0x12345);                    // the last thread: its status is the process's
                return 1;
            default:
                Console.WriteLine("hostile --as: no role " + role);
                return 2;
        }
    }

    private static void Ready() => Console.WriteLine("ready");

    private static int JoinMainThenBlock(ulong unused)
    {
        HostileTests.WaitForState(s_mainThread, HostileTests.BlockedState);
        Sys.ThreadJoin(s_mainThread);
        return ReadSilentPipe(0);
    }

    // The thread s_joiner joins this one (it learns this one's id from s_joinTarget); this one joins it back.
    private static int JoinJoinerThenBlock(ulong unused)
    {
        s_joinTarget = (int)Sys.GetThreadId();
        HostileTests.WaitForState(s_joiner, HostileTests.BlockedState);
        Sys.ThreadJoin(s_joiner);
        return ReadSilentPipe(0);
    }

    private static volatile int s_joinTarget;

    // Joins the thread given, or, with 0, the thread that announces itself in s_joinTarget.
    private static int JoinThread(ulong threadId)
    {
        if (threadId == 0)
        {
            while (s_joinTarget == 0) Sys.Sleep(1);
            threadId = (ulong)s_joinTarget;
        }
        return (int)Sys.ThreadJoin((int)threadId);
    }

    private static int SleepForEver(ulong unused) => (int)Sys.Sleep(1000000000);

    private static int ReadSilentPipe(ulong unused)
    {
        byte* buffer = stackalloc byte[1];
        return (int)Sys.Read(s_silentPipe.Read, new Span<byte>(buffer, 1));
    }
}
