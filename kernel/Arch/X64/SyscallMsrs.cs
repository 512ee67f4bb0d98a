using System.Runtime;
using System.Runtime.CompilerServices;

namespace Arch.X64
{
    /// <summary>
    /// Switches on the `syscall` instruction (Intel SDM vol. 3A, 5.8.8 "Fast System Calls in 64-Bit
    /// Mode"): where it jumps (LSTAR), which segments it loads on the way in and on the way back (STAR),
    /// and which flags it clears on entry (SFMASK). Each CPU must do this for itself.
    /// </summary>
    public static unsafe class SyscallMsrs
    {
        private const uint Efer = 0xC0000080;
        private const uint Star = 0xC0000081;
        private const uint LStar = 0xC0000082;
        private const uint SfMask = 0xC0000084;
        private const ulong EferSyscallEnable = 1 << 0;

        private const ulong FlagTrap = 1 << 8, FlagInterrupt = 1 << 9, FlagDirection = 1 << 10, FlagAlignmentCheck = 1 << 18;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "syscall_entry_address")]
        private static extern ulong EntryAddress();

        public static void Enable()
        {
            // STAR[47:32]: syscall loads CS = this, SS = this + 8 (kernel code 0x08, kernel data 0x10).
            // STAR[63:48]: sysret loads SS = this + 8, CS = this + 16, both with RPL 3 (user data 0x1B,
            // user code 0x23) — which is why Gdt.cs puts user data before user code.
            const ulong SysretBase = 0x10;     // + 8 = 0x18 user data, + 16 = 0x20 user code
            ulong star = (SysretBase << 48) | ((ulong)Selectors.KernelCode << 32);
            SystemRegisters.WriteMsr(Star, star);
            SystemRegisters.WriteMsr(LStar, EntryAddress());
            // Interrupts off until the entry code is on the kernel stack; no single-stepping into the
            // kernel; string instructions forwards; no alignment checks.
            SystemRegisters.WriteMsr(SfMask, FlagTrap | FlagInterrupt | FlagDirection | FlagAlignmentCheck);
            SystemRegisters.WriteMsr(Efer, SystemRegisters.ReadMsr(Efer) | EferSyscallEnable);
        }
    }
}
