using System;
using Abi;
using Mem;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>Handler for memorymap, the page-table view behind vmmap (Proc/ProcessMappings.cs, Mem/MappingWalk.cs).</summary>
    [SyscallHandlers]
    public static unsafe class MemoryMapSyscalls
    {
        /// <summary>
        /// memorymap(pid, records, &amp;needed): fills the buffer with MappingRecords and sets needed to
        /// how many the process has. Returns the count; -ERANGE (no record written) when the buffer is
        /// too short, so a caller may ask with an empty buffer first; -ESRCH for no such process or
        /// one that has exited; -EFAULT for a bad pointer.
        /// </summary>
        public static long MemoryMap(int pid, UserBuffer records, UserPointer<int> needed)
        {
            AddressSpace caller = Process.Current.AddressSpace;
            if (records.Length > 0 && !UserMemory.InUserSpace(records)) return -Errno.EFAULT;
            int capacity = (int)(records.Length / (ulong)sizeof(MappingRecord) < ProcessMappings.MaximumRecords
                ? records.Length / (ulong)sizeof(MappingRecord) : ProcessMappings.MaximumRecords);

            // Described into kernel memory first (the walk holds spin locks and must not touch user
            // pages), then copied out in one piece.
            MappingRecord[] described = new MappingRecord[capacity];
            long count = ProcessMappings.Describe(pid, Process.Current, described);
            long result = count;
            if (count >= 0)
            {
                if (!UserMemory.Write(caller, needed, (int)count)) result = -Errno.EFAULT;
                else if (count > capacity) result = -Errno.ERANGE;
                else
                {
                    fixed (MappingRecord* first = described)
                    {
                        var bytes = new ReadOnlySpan<byte>(first, (int)count * sizeof(MappingRecord));
                        if (!UserMemory.CopyOut(caller, records, bytes)) result = -Errno.EFAULT;
                    }
                }
            }
            KernelHeap.Free(described);
            return result;
        }
    }
}
