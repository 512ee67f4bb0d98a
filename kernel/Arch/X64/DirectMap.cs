namespace Arch.X64
{
    /// <summary>
    /// All physical memory is mapped, once, at <see cref="Base"/> + physical address (set up first by
    /// Boot/Start.asm). The kernel reaches any physical frame through it: page tables, the multiboot
    /// information, the VGA buffer, frames it hands to user programs.
    /// </summary>
    public static unsafe class DirectMap
    {
        public const ulong Base = 0xFFFF800000000000;

        /// <summary>The kernel image's own mapping (linker.ld): virtual = KernelImageBase + physical.</summary>
        public const ulong KernelImageBase = 0xFFFFFFFF80000000;

        public static void* ToVirtual(ulong physical) => (void*)(Base + physical);

        public static ulong ToPhysical(void* pointer)
        {
            ulong address = (ulong)pointer;
            return address >= KernelImageBase ? address - KernelImageBase : address - Base;
        }
    }
}
