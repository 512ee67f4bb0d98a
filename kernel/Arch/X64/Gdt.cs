using System.Runtime.InteropServices;
using TeachOS.Boundary;

namespace Arch.X64
{
    /// <summary>
    /// Segment selectors: an index into the GDT times 8, plus the privilege level in the low two bits.
    /// The order is dictated by syscall/sysret (Intel SDM vol. 2B, SYSRET): user data must sit 8 bytes
    /// and user code 16 bytes after the base in STAR[63:48], kernel data right after kernel code.
    /// The `syscall` entry stub pushes them as SELECTOR_USER_CODE and SELECTOR_USER_DATA (layout.inc).
    /// </summary>
    [SharedWithAssembly("SELECTOR")]
    public static class Selectors
    {
        public const ushort KernelCode = 0x08;
        public const ushort KernelData = 0x10;
        public const ushort UserData = 0x18 | 3;     // ring 3
        public const ushort UserCode = 0x20 | 3;
        public const ushort TaskState = 0x28;
    }

    /// <summary>
    /// The Global Descriptor Table. In 64-bit mode segments no longer translate addresses; what is left
    /// is their privilege level: code running from a descriptor with DPL 3 is user mode (ring 3).
    /// The TSS descriptor tells the CPU where this CPU's Task State Segment is. Intel SDM vol. 3A, 3.4.5.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GlobalDescriptorTable
    {
        public ulong Null;
        public ulong KernelCode;
        public ulong KernelData;
        public ulong UserData;
        public ulong UserCode;
        public ulong TaskStateLow;    // a system descriptor takes two slots in 64-bit mode
        public ulong TaskStateHigh;

        // Access byte: present (0x80), DPL (bits 5-6), code/data (0x10), executable (0x08), readable/writable (0x02).
        // Flags: long-mode code (L, 0x20 in the flags nibble), 4 KiB granularity (0x80).
        private const ulong KernelCodeDescriptor = 0x00AF9A000000FFFF;
        private const ulong KernelDataDescriptor = 0x00CF92000000FFFF;
        private const ulong UserCodeDescriptor = 0x00AFFA000000FFFF;    // as kernel code, DPL 3
        private const ulong UserDataDescriptor = 0x00CFF2000000FFFF;    // as kernel data, DPL 3
        private const ulong AvailableTss64 = 0x9;

        public void Fill(ulong tssAddress, uint tssLimit)
        {
            Null = 0;
            KernelCode = KernelCodeDescriptor;
            KernelData = KernelDataDescriptor;
            UserData = UserDataDescriptor;
            UserCode = UserCodeDescriptor;
            TaskStateLow = (tssLimit & 0xFFFFUL)
                         | ((tssAddress & 0xFFFFFFUL) << 16)
                         | (AvailableTss64 << 40)
                         | (1UL << 47)                              // present
                         | (((ulong)tssLimit >> 16 & 0xF) << 48)
                         | ((tssAddress >> 24 & 0xFF) << 56);
            TaskStateHigh = tssAddress >> 32;
        }
    }

    /// <summary>
    /// The Task State Segment: in 64-bit mode, only a list of stacks. When an interrupt arrives in user
    /// mode the CPU loads RSP from <see cref="Rsp0"/> before pushing anything, so the kernel never runs
    /// on a user stack; the scheduler points Rsp0 at the running thread's kernel stack. An IDT entry
    /// can also name an Interrupt Stack Table slot (Ist1..7): the CPU then always switches to that
    /// stack, which is how a double fault still gets a working stack after the kernel stack overflowed.
    /// Intel SDM vol. 3A, 8.7.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 104)]
    public struct TaskStateSegment
    {
        [FieldOffset(4)] public ulong Rsp0;
        [FieldOffset(12)] public ulong Rsp1;
        [FieldOffset(20)] public ulong Rsp2;
        [FieldOffset(36)] public ulong Ist1;
        [FieldOffset(44)] public ulong Ist2;
        [FieldOffset(52)] public ulong Ist3;
        [FieldOffset(102)] public ushort IoMapBase;   // past the end: no I/O permission bitmap, ring 3 gets no ports
    }

    /// <summary>Which Interrupt Stack Table slot each critical exception uses.</summary>
    public static class InterruptStacks
    {
        public const byte DoubleFault = 1;
        public const byte NonMaskableInterrupt = 2;
        public const byte MachineCheck = 3;
    }
}
