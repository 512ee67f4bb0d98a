using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' case for memorymap (syscall 50, vmmap's view: kernel/Mem/MappingWalk.cs): the records
/// describe the caller's own program, heap, stack and a thread's stack where they are; another
/// process can be read; short buffers, bad pointers and bad pids are refused without harm.
/// </summary>
public static unsafe partial class UserTests
{
    private const int MapRoom = 64;

    private static void MemoryMapView()
    {
        Expect(Sys.MemoryMap(0, default, out int needed), -Errno.ERANGE, "memorymap with no room says ERANGE");
        Check(needed >= 3 && needed < MapRoom, "and how many records it needs (" + needed + ")");

        byte[] array = new byte[64];                // before the map is read: the heap may grow for it
        byte[] threadStack = new byte[4 * 4096];
        ulong stackTop;
        fixed (byte* bottom = threadStack) stackTop = ((ulong)bottom + (ulong)threadStack.Length) & ~15UL;
        s_go = 0;
        s_mappedThreadStarted = 0;
        long thread = UserThread.StartOnStack(&StartThenWaitForGo, 0, stackTop, "mapped");
        Check(thread > 0, "a thread starts on a stack in the heap");
        // Until it runs (on another CPU, perhaps not yet), its stack is heap pages nobody touched:
        // the lazy heap has not mapped them, and the map would show nothing there.
        while (thread > 0 && s_mappedThreadStarted == 0) Sys.Yield();
        Sys.Yield();

        long mapped = Sys.MapMemory(0, 2 * 4096, MemoryProtection.Read | MemoryProtection.Write, MappingFlags.Private | MappingFlags.Anonymous, -1, 0);
        Check(mapped > 0, "mmap of two pages for the map to show");
        if (mapped > 0) ((byte*)mapped)[0] = 1;     // one page touched, one not

        MappingRecord* records = stackalloc MappingRecord[MapRoom];
        long count = ReadMap(0, records, MapRoom, out needed);
        Check(count > 0 && count == needed, "memorymap fills the buffer and returns the count (" + count + ")");
        Check(WellFormed(records, count), "records are page-aligned, ascending, apart, and present runs have a frame per page");
        int local = 5;
        MappingRecord code = Find(records, count, ReadOnlyCode), stack = Find(records, count, (ulong)&local);
        Check(code.Backing == MappingBacking.Program && (code.Flags & PageFlags.Executable) != 0 && (code.Flags & PageFlags.Writable) == 0,
              "the code is the program's, executable, not writable");
        Check(stack.Backing == MappingBacking.Stack && (stack.Flags & PageFlags.Writable) != 0 && (stack.Flags & PageFlags.Executable) == 0,
              "a local variable is on the stack, writable, not executable");
        fixed (byte* inHeap = array) Check(Find(records, count, (ulong)inHeap).Backing == MappingBacking.Heap, "an array is in the heap");
        Check(Find(records, count, stackTop - 8).Backing == MappingBacking.ThreadStack, "the top of the thread's stack is a thread stack");
        MappingRecord touched = Find(records, count, (ulong)mapped);
        Check(mapped > 0 && touched.Backing == MappingBacking.Mmap && (touched.Flags & PageFlags.Present) != 0 && touched.Frames == 1,
              "the touched page of the mmap mapping is mmap's, present, one frame");
        if (mapped > 0) Sys.UnmapMemory((ulong)mapped, 2 * 4096);
        s_go = 1;
        UserThread.Join((int)thread);

        // A short buffer: -ERANGE, the count, and nothing written.
        MappingRecord one = new MappingRecord { Start = 77 };
        Expect(Sys.MemoryMap(0, new Span<byte>(&one, sizeof(MappingRecord)), out needed), -Errno.ERANGE, "memorymap into one record's room");
        Check(needed > 1 && one.Start == 77, "says how many it needs and writes no record");

        // Another process, then the same pid after it is gone.
        s_go = 0;
        long pid = ForkRunning(&WaitForParentSignal);
        long other = ReadMap((int)pid, records, MapRoom, out needed);
        Check(other > 0 && Find(records, other, ReadOnlyCode).Backing == MappingBacking.Program, "another process's map can be read");
        Sys.Kill((int)pid);
        WaitFor(pid);
        Expect(Sys.MemoryMap((int)pid, new Span<byte>(records, MapRoom * sizeof(MappingRecord)), out needed), -Errno.ESRCH, "memorymap of a process that is gone");
        Expect(Sys.MemoryMap(-1, default, out needed), -Errno.ESRCH, "memorymap of pid -1");
        Expect(Sys.MemoryMap(999999, default, out needed), -Errno.ESRCH, "memorymap of a pid nobody has");

        // Bad pointers, for the records and for the count.
        ulong room = (ulong)(MapRoom * sizeof(MappingRecord));
        Expect(Sys.Call(SyscallNumbers.MemoryMap, 0, KernelAddress, room, (ulong)&needed), -Errno.EFAULT, "records in kernel memory");
        Expect(Sys.Call(SyscallNumbers.MemoryMap, 0, UnmappedAddress, room, (ulong)&needed), -Errno.EFAULT, "records at an unmapped address");
        Expect(Sys.Call(SyscallNumbers.MemoryMap, 0, ReadOnlyCode, room, (ulong)&needed), -Errno.EFAULT, "records over read-only code");
        Expect(Sys.Call(SyscallNumbers.MemoryMap, 0, EndOfUserSpace - 64, room, (ulong)&needed), -Errno.EFAULT, "records across the end of user space");
        Expect(Sys.Call(SyscallNumbers.MemoryMap, 0, (ulong)records, room, UnmappedAddress), -Errno.EFAULT, "the count at an unmapped address");
        Expect(Sys.Call(SyscallNumbers.MemoryMap, 0, (ulong)records, room, ReadOnlyCode), -Errno.EFAULT, "the count over read-only code");
        Check(ReadOnlyCodeIsIntact, "the code is intact after all of them");
    }

    private static int WaitForParentSignal()
    {
        while (true) Sys.Sleep(1000);
    }

    private static long ReadMap(int pid, MappingRecord* records, int room, out int needed) =>
        Sys.MemoryMap(pid, new Span<byte>(records, room * sizeof(MappingRecord)), out needed);

    private static volatile int s_mappedThreadStarted;

    private static int StartThenWaitForGo(ulong unused)
    {
        s_mappedThreadStarted = 1;
        return WaitForGo(unused);
    }

    private static MappingRecord Find(MappingRecord* records, long count, ulong address)
    {
        for (int i = 0; i < count; i++)
            if (address >= records[i].Start && address < records[i].End) return records[i];
        return new MappingRecord { Backing = -1 };
    }

    private static bool WellFormed(MappingRecord* records, long count)
    {
        for (int i = 0; i < count; i++)
        {
            MappingRecord r = records[i];
            if ((r.Start & 4095) != 0 || (r.End & 4095) != 0 || r.End <= r.Start) return false;
            if (i > 0 && r.Start < records[i - 1].End) return false;
            bool present = (r.Flags & PageFlags.Present) != 0;
            if (r.Frames != (present ? (int)((r.End - r.Start) / 4096) : 0)) return false;
        }
        return true;
    }
}
