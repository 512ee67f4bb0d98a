using System;
using Abi;
using TeachOS;

/// <summary>
/// mmaptest: the test program of the mmap assignment (docs/assignments/mmap.md). It maps files with
/// Sys.MapMemory (syscall 42, MappingFlags.Private without Anonymous) and compares what it reads
/// through the mapping with what read() gives for the same bytes: its own program file, /bin/mmaptest,
/// several pages long, and /etc/motd, shorter than a page. A touch that should fault is made in a
/// forked child, whose exit status (139 for SIGSEGV) tells; a child never prints a verdict.
/// </summary>
public static unsafe class MmapTest
{
    private const int Page = 4096;
    private const string BigFile = "/bin/mmaptest";
    private const string SmallFile = "/etc/motd";
    private const int Faulted = 139;

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "contents", Body = &Contents },
        new GradePart { Name = "beyond-end", Body = &BeyondTheEnd },
        new GradePart { Name = "private", Body = &PrivateWrites },
        new GradePart { Name = "munmap-halves", Body = &UnmapHalves },
        new GradePart { Name = "fork", Body = &ForkOfAMapping },
        new GradePart { Name = "refusals", Body = &Refusals },
        new GradePart { Name = "exit-frees", Body = &ExitFreesEverything },
    });

    // ---- Helpers ----

    private static byte[] ReadWholeFile(string path)
    {
        long fd = Sys.Open(path, OpenFlags.ReadOnly);
        if (fd < 0) return new byte[0];
        Sys.FileStatus((int)fd, out FileStatus status);
        byte[] bytes = new byte[status.Size];
        long done = 0, got;
        fixed (byte* buffer = bytes)
            while (done < bytes.Length && (got = Sys.Read((int)fd, new Span<byte>(buffer + done, (int)(bytes.Length - done)))) > 0) done += got;
        Sys.Close((int)fd);
        return bytes;
    }

    private static long MapFile(string path, long length, int protection, long offset, bool closeAfter = true)
    {
        long fd = Sys.Open(path, OpenFlags.ReadOnly);
        if (fd < 0) return fd;
        long address = Sys.MapMemory(0, (ulong)length, protection, MappingFlags.Private, (int)fd, offset);
        if (closeAfter) Sys.Close((int)fd);     // a mapping outlives its descriptor, as on Unix
        return address;
    }

    // The first byte where the mapping differs from bytes[offset..offset+length), or -1.
    private static long FirstDifference(long address, byte[] bytes, long offset, long length)
    {
        byte* mapped = (byte*)address;
        for (long i = 0; i < length; i++) if (mapped[i] != bytes[offset + i]) return i;
        return -1;
    }

    private static long s_childAddress;

    private static int TouchAddress()
    {
        return ((byte*)s_childAddress)[0] + 1;       // a fault ends it with 139 first
    }

    // Reads s_childAddress in a forked child: 139 if the touch faulted.
    private static int StatusOfATouch(long address)
    {
        s_childAddress = address;
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(TouchAddress() > 0 ? 0 : 1);
        if (pid < 0) return -1;
        Sys.Wait((int)pid, out int status);
        return status;
    }

    // ---- The parts ----

    private static void Contents()
    {
        byte[] file = ReadWholeFile(BigFile);
        long address = MapFile(BigFile, file.Length, MemoryProtection.Read, 0);
        long difference = address > 0 ? FirstDifference(address, file, 0, file.Length) : -2;
        Grade.Check("file-contents", address > 0 && difference < 0,
            "mmap of " + BigFile + " (" + file.Length + " bytes, read-only, private) returned " + Grade.Describe(address) +
            (address > 0 ? (difference < 0 ? "; every byte matches read()" : "; the first byte that differs from read()'s is at offset " + difference) : ""));
        if (address > 0) Sys.UnmapMemory((ulong)address, (ulong)file.Length);

        long length = 3 * Page;
        address = MapFile(BigFile, length, MemoryProtection.Read, 2 * Page);
        difference = address > 0 ? FirstDifference(address, file, 2 * Page, length) : -2;
        Grade.Check("offset-contents", address > 0 && difference < 0,
            "mmap of 3 pages of " + BigFile + " from offset 8192 returned " + Grade.Describe(address) +
            (address > 0 ? (difference < 0 ? "; every byte matches the file's from 8192 on" : "; mapping byte " + difference + " differs from the file's byte " + (2 * Page + difference)) : ""));
        if (address > 0) Sys.UnmapMemory((ulong)address, (ulong)length);
    }

    private static void BeyondTheEnd()
    {
        byte[] file = ReadWholeFile(SmallFile);
        long address = MapFile(SmallFile, 2 * Page, MemoryProtection.Read, 0);
        bool same = address > 0 && file.Length > 0 && FirstDifference(address, file, 0, file.Length) < 0;
        int status = address > 0 ? StatusOfATouch(address + Page + 100) : -1;
        long nonZero = -1;
        if (address > 0 && status == 0)
            for (long i = file.Length; i < 2 * Page && nonZero < 0; i++) if (((byte*)address)[i] != 0) nonZero = i;
        Grade.Check("beyond-end-zeros", same && status == 0 && nonZero < 0,
            "mmap of 2 pages of " + SmallFile + " (" + file.Length + " bytes) returned " + Grade.Describe(address) +
            "; the file's bytes " + (same ? "match" : "do not match") + "; a read of the second page " +
            (status == 0 ? "worked" : "ended the child with status " + status) +
            (nonZero >= 0 ? "; byte " + nonZero + ", past the file's end, is not 0" : status == 0 ? "; every byte past the file's end is 0" : ""));
        if (address > 0) Sys.UnmapMemory((ulong)address, 2 * Page);
    }

    private static void PrivateWrites()
    {
        byte[] file = ReadWholeFile(BigFile);
        long length = 4 * Page;
        long first = MapFile(BigFile, length, MemoryProtection.Read | MemoryProtection.Write, 0);
        long second = MapFile(BigFile, length, MemoryProtection.Read, 0);
        if (first > 0)
            for (long i = 0; i < length; i += 512) ((byte*)first)[i] = (byte)~file[i];
        bool kept = first > 0;
        for (long i = 0; kept && i < length; i += 512) kept = ((byte*)first)[i] == (byte)~file[i];
        long otherDifference = second > 0 ? FirstDifference(second, file, 0, length) : -2;
        byte[] after = ReadWholeFile(BigFile);
        bool fileSame = after.Length == file.Length;
        for (long i = 0; fileSame && i < length; i++) fileSame = after[i] == file[i];
        Grade.Check("private-writes-kept", kept,
            "a read-write private mapping of " + BigFile + " returned " + Grade.Describe(first) + "; bytes written to it " + (kept ? "read back as written" : "did not read back"));
        Grade.Check("private-writes-not-in-file", first > 0 && fileSame,
            "after writes to the private mapping, read() of the file gives " + (fileSame ? "its old bytes" : "changed bytes"));
        Grade.Check("private-writes-not-in-other-mapping", second > 0 && otherDifference < 0,
            "a second mapping of the same file returned " + Grade.Describe(second) + (otherDifference < 0 ? " and holds the file's bytes" : " and differs from the file at byte " + otherDifference));
        long unmapped = first > 0 ? Sys.UnmapMemory((ulong)first, (ulong)length) : -1;
        after = ReadWholeFile(BigFile);
        fileSame = after.Length == file.Length;
        for (long i = 0; fileSame && i < length; i++) fileSame = after[i] == file[i];
        Grade.Check("private-writes-not-written-back", unmapped == 0 && fileSame,
            "munmap of the written mapping returned " + Grade.Describe(unmapped) + "; the file then holds " + (fileSame ? "its old bytes" : "changed bytes"));
        if (second > 0) Sys.UnmapMemory((ulong)second, (ulong)length);
    }

    private static void UnmapHalves()
    {
        byte[] file = ReadWholeFile(BigFile);
        long address = MapFile(BigFile, 4 * Page, MemoryProtection.Read, 0);
        long result = address > 0 ? Sys.UnmapMemory((ulong)address, 2 * Page) : -1;
        int firstHalf = address > 0 ? StatusOfATouch(address + Page) : -1;
        long difference = address > 0 ? FirstDifference(address + 2 * Page, file, 2 * Page, 2 * Page) : -2;
        Grade.Check("munmap-first-half", result == 0 && firstHalf == Faulted && difference < 0,
            "munmap of the first 2 of 4 mapped pages returned " + Grade.Describe(result) + "; a touch of page 1 then " +
            (firstHalf == Faulted ? "faulted" : "ended the child with status " + firstHalf) + "; pages 2 and 3 " +
            (difference < 0 ? "still hold the file's bytes" : "differ from the file at byte " + difference));
        result = address > 0 ? Sys.UnmapMemory((ulong)address + 2 * Page, 2 * Page) : -1;
        int secondHalf = address > 0 ? StatusOfATouch(address + 3 * Page) : -1;
        Grade.Check("munmap-second-half", result == 0 && secondHalf == Faulted,
            "munmap of the other 2 returned " + Grade.Describe(result) + "; a touch of page 3 then " +
            (secondHalf == Faulted ? "faulted" : "ended the child with status " + secondHalf));

        address = MapFile(BigFile, 4 * Page, MemoryProtection.Read, 0);
        result = address > 0 ? Sys.UnmapMemory((ulong)address + 2 * Page, 2 * Page) : -1;
        difference = address > 0 ? FirstDifference(address, file, 0, 2 * Page) : -2;
        int after = address > 0 ? StatusOfATouch(address + 2 * Page) : -1;
        Grade.Check("munmap-second-half-first", result == 0 && difference < 0 && after == Faulted,
            "munmap of the last 2 of 4 mapped pages returned " + Grade.Describe(result) + "; pages 0 and 1 " +
            (difference < 0 ? "still hold the file's bytes" : "differ from the file at byte " + difference) + "; a touch of page 2 " +
            (after == Faulted ? "faulted" : "ended the child with status " + after));
        if (address > 0) Sys.UnmapMemory((ulong)address, 2 * Page);
    }

    private static byte[] s_file;
    private static long s_mapping;
    private static byte s_touched;

    private static int CheckMappingInChild()
    {
        if (FirstDifference(s_mapping, s_file, 0, s_file.Length) >= 0) return 1;
        for (long i = 0; i < s_file.Length; i += Page) ((byte*)s_mapping)[i] = (byte)~s_file[i];
        return 0;
    }

    private static void ForkOfAMapping()
    {
        s_file = ReadWholeFile(BigFile);
        s_mapping = MapFile(BigFile, s_file.Length, MemoryProtection.Read | MemoryProtection.Write, 0);
        if (s_mapping > 0) s_touched = ((byte*)s_mapping)[Page];                 // one page faulted in before the fork
        long pid = s_mapping > 0 ? Sys.Fork() : -1;
        if (pid == 0) Sys.Exit(CheckMappingInChild());
        int status = -1;
        if (pid > 0) Sys.Wait((int)pid, out status);
        long difference = s_mapping > 0 ? FirstDifference(s_mapping, s_file, 0, s_file.Length) : -2;
        Grade.Check("fork-child-sees-contents", status == 0,
            "a child forked with a mapping of " + BigFile + " (mmap returned " + Grade.Describe(s_mapping) + ") " +
            (status == 0 ? "read the file's bytes in all of it" : status == 1 ? "read bytes that differ from the file's" : "ended with status " + status));
        Grade.Check("fork-writes-private", status == 0 && difference < 0,
            "after the child wrote to its copy, the parent's mapping " + (difference < 0 ? "still holds the file's bytes" : "differs from the file at byte " + difference));
        if (s_mapping > 0) Sys.UnmapMemory((ulong)s_mapping, (ulong)s_file.Length);
    }

    private static void Refusals()
    {
        long closed = Sys.MapMemory(0, Page, MemoryProtection.Read, MappingFlags.Private, 77, 0);
        long directory = Sys.Open("/bin", OpenFlags.ReadOnly);
        long ofDirectory = Sys.MapMemory(0, Page, MemoryProtection.Read, MappingFlags.Private, (int)directory, 0);
        Sys.Close((int)directory);
        Sys.Pipe(out PipeDescriptors pipe);
        long ofPipe = Sys.MapMemory(0, Page, MemoryProtection.Read, MappingFlags.Private, pipe.Read, 0);
        Sys.Close(pipe.Read);
        Sys.Close(pipe.Write);
        long fd = Sys.Open(BigFile, OpenFlags.ReadOnly);
        long unaligned = Sys.MapMemory(0, Page, MemoryProtection.Read, MappingFlags.Private, (int)fd, 100);
        long negative = Sys.MapMemory(0, Page, MemoryProtection.Read, MappingFlags.Private, (int)fd, -Page);
        long shared = Sys.MapMemory(0, Page, MemoryProtection.Read, MappingFlags.Shared, (int)fd, 0);
        Sys.Close((int)fd);
        long writeOnly = Sys.Open("/mmaptest.tmp", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        Sys.Write((int)writeOnly, new ReadOnlySpan<byte>(&writeOnly, 8));
        long ofWriteOnly = Sys.MapMemory(0, Page, MemoryProtection.Read, MappingFlags.Private, (int)writeOnly, 0);
        Sys.Close((int)writeOnly);
        Grade.Check("bad-descriptors", closed == -Errno.EBADF && ofDirectory == -Errno.ENODEV && ofPipe == -Errno.ENODEV && ofWriteOnly == -Errno.EACCES,
            "expected -EBADF for a closed descriptor, -ENODEV for a directory and a pipe, -EACCES for a file open only for writing; got " +
            Grade.Describe(closed) + ", " + Grade.Describe(ofDirectory) + ", " + Grade.Describe(ofPipe) + ", " + Grade.Describe(ofWriteOnly));
        Grade.Check("bad-offsets-and-flags", unaligned == -Errno.EINVAL && negative == -Errno.EINVAL && shared == -Errno.EINVAL,
            "expected -EINVAL for an offset of 100, an offset of -4096 and a shared mapping; got " +
            Grade.Describe(unaligned) + ", " + Grade.Describe(negative) + ", " + Grade.Describe(shared));
    }

    private static int MapTouchAndExit()
    {
        byte[] file = ReadWholeFile(BigFile);
        long address = MapFile(BigFile, file.Length, MemoryProtection.Read | MemoryProtection.Write, 0, closeAfter: false);
        if (address <= 0) return 1;
        for (long i = 0; i < file.Length; i += Page) ((byte*)address)[i] ^= 1;
        long half = MapFile(BigFile, 4 * Page, MemoryProtection.Read, 0);
        if (half > 0) Sys.UnmapMemory((ulong)half, 2 * Page);                  // half of it left mapped
        for (long i = 0; i < file.Length; i++)
            if (((byte*)address)[i] != (byte)(i % Page == 0 ? file[i] ^ 1 : file[i])) return 2;
        return 0;
    }

    private static void ExitFreesEverything()
    {
        int good = 0;
        for (int i = 0; i < 20; i++)
        {
            long pid = Sys.Fork();
            if (pid == 0) Sys.Exit(MapTouchAndExit());
            if (pid > 0 && Sys.Wait((int)pid, out int status) == pid && status == 0) good++;
        }
        Grade.Check("children-map-and-exit", good == 20, good + " of 20 children mapped " + BigFile + ", wrote to every page, unmapped half of a second mapping and exited with 0");
        // The kernel prints its memory check when this program, init, exits: checks.sh reads it.
    }
}
