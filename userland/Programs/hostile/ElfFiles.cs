using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>hostile: the ELF files the loader must refuse or survive.</summary>
public static unsafe partial class HostileTests
{
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
        Sys.ChangeMode(MutantPath, FileMode.Program);       // a new file is 0644: the loader must be the one to refuse
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
}
