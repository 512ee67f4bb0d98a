using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>Handlers for mapping memory: mmap and munmap (the heap's sbrk is with the process syscalls).</summary>
    [SyscallHandlers]
    public static class MemorySyscalls
    {
        /// <summary>mmap: a new private mapping (Proc/MemoryMappings.cs); its address, or a negated errno.</summary>
        public static long MapMemory(ulong address, ulong length, int protection, int flags, int descriptor, long offset) =>
            ProcessSyscalls.AfterAllocation(MemoryMappings.Map(Process.Current, length, protection, flags, descriptor, offset));

        /// <summary>munmap: takes [address, address + length) out of the mappings; 0, or a negated errno.</summary>
        public static long UnmapMemory(ulong address, ulong length) => MemoryMappings.Unmap(Process.Current, address, length);
    }
}
