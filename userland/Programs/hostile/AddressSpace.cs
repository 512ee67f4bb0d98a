using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>hostile: the address space's regions: heap, stack and the gaps between them.</summary>
public static unsafe partial class HostileTests
{
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
                Sys.ChangeMode(path, FileMode.Program);
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

    // Removes a file the test wrote, so its pages go back.
    private static void Empty(string path) => Sys.Unlink(path);

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
}
