using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for mmap and munmap of anonymous private memory (kernel/Proc/MemoryMappings.cs):
/// fresh zeroed pages on first touch, mappings side by side, munmap of whole mappings and of parts
/// (a cut in the middle splits one), a touch of an unmapped page or a write to a read-only one kills,
/// fork gives the child its own copy, the kernel's copies into untouched mapped pages work, and every
/// kind of bad argument gets its error code (the rules are in docs/guide/05-processes.md).
/// </summary>
public static unsafe partial class UserTests
{
    private const ulong MappingWindowStart = 0x0000_1000_0000_0000;
    private const ulong MappingWindowEnd = 0x0000_7000_0000_0000;
    private const int ReadWrite = MemoryProtection.Read | MemoryProtection.Write;
    private const int PrivateAnonymous = MappingFlags.Private | MappingFlags.Anonymous;

    private static long Map(ulong length, int protection = ReadWrite, int flags = PrivateAnonymous, int descriptor = -1, long offset = 0) =>
        Sys.MapMemory(0, length, protection, flags, descriptor, offset);

    private static bool InWindow(long address) =>
        address > 0 && (ulong)address >= MappingWindowStart && (ulong)address < MappingWindowEnd && address % Page == 0;

    private static void MapAnonymous()
    {
        long first = Map(8 * Page), second = Map(3 * Page + 1);
        Check(InWindow(first) && InWindow(second), "mmap returns page-aligned addresses in the mapping window");
        Check(second >= first + 8 * Page || second + 4 * Page <= first, "two mappings do not overlap (the second rounded up to 4 pages)");
        byte* a = (byte*)first, b = (byte*)second;
        bool zero = true;
        for (int page = 0; page < 8; page++) zero &= a[page * Page] == 0 && a[page * Page + Page - 1] == 0;
        Check(zero, "a fresh mapping reads zeros");
        for (int page = 0; page < 8; page++) a[page * Page + 5] = (byte)(page + 10);
        for (int page = 0; page < 4; page++) b[page * Page + 5] = (byte)(page + 50);
        bool kept = true;
        for (int page = 0; page < 8; page++) kept &= a[page * Page + 5] == (byte)(page + 10);
        for (int page = 0; page < 4; page++) kept &= b[page * Page + 5] == (byte)(page + 50);
        Check(kept, "each mapping keeps its own bytes");
        Expect(Sys.UnmapMemory((ulong)first, 8 * Page), 0, "munmap of a whole mapping");
        kept = true;
        for (int page = 0; page < 4; page++) kept &= b[page * Page + 5] == (byte)(page + 50);
        Check(kept, "the other mapping is untouched by it");
        long again = Map(8 * Page);
        Check(InWindow(again), "a mapping after a munmap");
        zero = true;
        for (int page = 0; page < 8; page++) zero &= ((byte*)again)[page * Page + 5] == 0;
        Check(zero, "pages given back and mapped again are zero");
        Expect(Sys.UnmapMemory((ulong)again, 8 * Page), 0, "munmap");
        Expect(Sys.UnmapMemory((ulong)second, 4 * Page), 0, "munmap of the second");

        long readOnly = Map(2 * Page, MemoryProtection.Read);
        Check(InWindow(readOnly) && ((byte*)readOnly)[100] == 0, "a read-only mapping reads zeros");
        Sys.Pipe(out PipeDescriptors pipe);
        Expect(Sys.Write(pipe.Write, new ReadOnlySpan<byte>((byte*)readOnly + Page - 4, 8)), 8, "write() from untouched read-only mapped pages");
        Expect(Sys.Read(pipe.Read, new Span<byte>((byte*)readOnly + Page, 8)), -Errno.EFAULT, "read() into a read-only mapping is refused");
        long writable = Map(2 * Page);
        Sys.Write(pipe.Write, Bytes("12345678"));
        Expect(Sys.Read(pipe.Read, new Span<byte>((byte*)writable + Page - 4, 8)), 8, "read() into untouched mapped pages, across their edge");
        Check(((byte*)writable)[Page - 4] == (byte)'1' && ((byte*)writable)[Page + 3] == (byte)'8', "the kernel's bytes are there");
        Sys.Close(pipe.Read);
        Sys.Close(pipe.Write);
        s_mappingForChild = readOnly;
        Expect(WaitFor(ForkRunning(&WriteTheMapping)), 139, "a write to a read-only mapping is a fault");
        Sys.UnmapMemory((ulong)readOnly, 2 * Page);
        Sys.UnmapMemory((ulong)writable, 2 * Page);
    }

    private static long s_mappingForChild;

    private static int WriteTheMapping()
    {
        ((byte*)s_mappingForChild)[0] = 1;
        return 0;
    }

    private static int ReadTheMapping() => ((byte*)s_mappingForChild)[0];

    private static void MapPartialUnmap()
    {
        long start = Map(6 * Page);
        byte* m = (byte*)start;
        for (int page = 0; page < 6; page++) m[page * Page] = (byte)(page + 1);
        Expect(Sys.UnmapMemory((ulong)start + 2 * Page, 2 * Page), 0, "munmap of the middle two pages splits the mapping");
        Check(m[0] == 1 && m[Page] == 2 && m[4 * Page] == 5 && m[5 * Page] == 6, "both halves keep their bytes");
        s_mappingForChild = start + 2 * Page;
        Expect(WaitFor(ForkRunning(&ReadTheMapping)), 139, "a touch of the unmapped middle is a fault");
        s_mappingForChild = start + 3 * Page;
        Expect(WaitFor(ForkRunning(&ReadTheMapping)), 139, "and of its second page");
        Expect(Sys.UnmapMemory((ulong)start, Page), 0, "munmap of the first page of the first half");
        Check(m[Page] == 2, "the rest of it stays");
        Expect(Sys.UnmapMemory((ulong)start, 6 * Page), 0, "munmap over everything, mapped or not");
        s_mappingForChild = start + 5 * Page;
        Expect(WaitFor(ForkRunning(&ReadTheMapping)), 139, "after it the last page is gone too");
        s_mappingForChild = start + Page;
        Expect(WaitFor(ForkRunning(&ReadTheMapping)), 139, "and so is the second");
        Expect(Sys.UnmapMemory((ulong)start, 6 * Page), 0, "munmap of a range with nothing mapped is no error (as on Linux)");
    }

    private static int MappingForkChild()
    {
        byte* m = (byte*)s_mappingForChild;
        if (m[0] != 7 || m[Page] != 0 || m[2 * Page] != 9 || m[3 * Page] != 0) return 1;
        for (int page = 0; page < 4; page++) m[page * Page] = 100;
        if (Sys.UnmapMemory((ulong)s_mappingForChild, 2 * Page) != 0) return 2;
        return 0;
    }

    private static void MapFork()
    {
        long start = Map(4 * Page);
        byte* m = (byte*)start;
        m[0] = 7;
        m[2 * Page] = 9;
        s_mappingForChild = start;
        Expect(WaitFor(ForkRunning(&MappingForkChild)), 0, "the child sees the mapping's bytes and zeros, writes all of it, unmaps half");
        Check(m[0] == 7 && m[Page] == 0 && m[2 * Page] == 9 && m[3 * Page] == 0, "the parent's mapping is its own: unchanged, and still whole");
        Expect(Sys.UnmapMemory((ulong)start, 4 * Page), 0, "munmap in the parent");
        // exec throws a process's mappings away with its old image (the memory check at the end
        // of the run would see a leaked frame or promise).
        Expect(WaitFor(ForkRunning(&MapThenExec)), 0, "a child that mapped and touched memory execs /bin/true");
    }

    private static int MapThenExec()
    {
        long start = Map(4 * Page);
        if (start <= 0) return 1;
        ((byte*)start)[Page] = 1;
        Sys.Exec("/bin/true", new[] { "true" });
        return 2;
    }

    private static void MapRefusals()
    {
        Expect(Map(0), -Errno.EINVAL, "mmap of 0 bytes");
        Expect(Map(Page, ReadWrite, 0), -Errno.EINVAL, "mmap with neither Private nor Shared");
        Expect(Map(Page, ReadWrite, MappingFlags.Shared | MappingFlags.Anonymous), -Errno.EINVAL, "a shared mapping (TeachOS has none)");
        Expect(Map(Page, ReadWrite, PrivateAnonymous | MappingFlags.Shared), -Errno.EINVAL, "Private and Shared at once");
        Expect(Map(Page, ReadWrite, PrivateAnonymous | 0x100), -Errno.EINVAL, "an unknown flag");
        Expect(Map(Page, MemoryProtection.None), -Errno.EINVAL, "no access at all");
        Expect(Map(Page, ReadWrite | MemoryProtection.Execute), -Errno.EINVAL, "executable memory");
        Expect(Map(Page, 8), -Errno.EINVAL, "an unknown protection bit");
        Expect(Map(Page, ReadWrite, PrivateAnonymous, 0), -Errno.EINVAL, "anonymous memory with a descriptor");
        Expect(Map(Page, ReadWrite, PrivateAnonymous, -1, Page), -Errno.EINVAL, "anonymous memory with an offset");
        Expect(Map(Page, MemoryProtection.Read, MappingFlags.Private, 77), -Errno.EBADF, "a file mapping of a closed descriptor");
        long fd = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        Expect(Map(Page, MemoryProtection.Read, MappingFlags.Private, (int)fd), -Errno.ENODEV, "a file mapping (the mmap lab builds it)");
        Sys.Close((int)fd);
        Expect(Map(ulong.MaxValue), -Errno.ENOMEM, "mmap of 2^64 - 1 bytes (rounding up would wrap)");
        Expect(Map(1UL << 62), -Errno.ENOMEM, "mmap larger than the window");
        Expect(Map(1UL << 40), -Errno.ENOMEM, "mmap of a TiB: more than memory can promise");

        long start = Map(Page);
        Expect(Sys.UnmapMemory((ulong)start + 1, Page), -Errno.EINVAL, "munmap at an unaligned address");
        Expect(Sys.UnmapMemory((ulong)start, 0), -Errno.EINVAL, "munmap of 0 bytes");
        Expect(Sys.UnmapMemory((ulong)start, ulong.MaxValue), -Errno.EINVAL, "munmap of a range that wraps around");
        Expect(Sys.UnmapMemory((ulong)Sys.Sbrk(0) & ~(ulong)(Page - 1), Page), -Errno.EINVAL, "munmap of the heap");
        Expect(Sys.UnmapMemory(0x400000, Page), -Errno.EINVAL, "munmap of the program's code");
        Expect(Sys.UnmapMemory(0x00007FFFFFFFE000, Page), -Errno.EINVAL, "munmap of the stack");
        Expect(Sys.UnmapMemory(KernelAddress, Page), -Errno.EINVAL, "munmap of the kernel");
        Expect(Sys.UnmapMemory(EndOfUserSpace, Page), -Errno.EINVAL, "munmap of non-canonical addresses");
        Expect(Sys.UnmapMemory(MappingWindowEnd - Page, 2 * Page), -Errno.EINVAL, "munmap past the window's end");
        Check(ReadOnlyCodeIsIntact, "the program's code still runs");
        Expect(Sys.UnmapMemory((ulong)start, Page), 0, "munmap of the mapping itself");

        // At most 64 mappings; a cut in the middle of one needs a 65th.
        long* mappings = stackalloc long[64];
        int made = 0;
        long result;
        while (made < 64 && (result = Map(3 * Page)) > 0) mappings[made++] = result;
        Expect(made, 64, "64 mappings");
        Expect(Map(Page), -Errno.ENOMEM, "the 65th is refused");
        Expect(Sys.UnmapMemory((ulong)mappings[0] + Page, Page), -Errno.ENOMEM, "so is a cut that would make a 65th");
        Expect(Sys.UnmapMemory((ulong)mappings[0], Page), 0, "a cut at one end needs none");
        for (int i = 0; i < made; i++) Sys.UnmapMemory((ulong)mappings[i], 3 * Page);
        long after = Map(Page);
        Check(InWindow(after), "all given back: mmap works again");
        Sys.UnmapMemory((ulong)after, Page);
    }
}
