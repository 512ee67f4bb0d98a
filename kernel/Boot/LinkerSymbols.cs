using System.Runtime;
using System.Runtime.CompilerServices;

namespace Boot
{
    /// <summary>Addresses that only the linker knows (Boot/linker.ld), fetched through LinkerSymbols.asm.</summary>
    public static unsafe class LinkerSymbols
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_modules_start")]
        public static extern nint* ModulesStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_modules_end")]
        public static extern nint* ModulesEnd();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_text_start")]
        public static extern byte* TextStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_text_end")]
        public static extern byte* TextEnd();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_eh_frame_hdr_start")]
        public static extern byte* EhFrameHeaderStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_eh_frame_hdr_end")]
        public static extern byte* EhFrameHeaderEnd();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_kernel_symbols_start")]
        public static extern byte* KernelSymbolsStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_kernel_symbols_end")]
        public static extern byte* KernelSymbolsEnd();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_rodata_start")]
        public static extern byte* RodataStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_data_start")]
        public static extern byte* DataStart();

        /// <summary>The unmapped page below the boot stack.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_boot_stack_guard")]
        public static extern byte* BootStackGuard();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_boot_stack_top")]
        public static extern byte* BootStackTop();

        /// <summary>The instruction after step 3's call in Arch/X64/TrapEntry.asm (for backtraces).</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_trap_dispatch_return")]
        public static extern byte* TrapDispatchReturn();

        /// <summary>The instruction after step 4's call (trap_exit) in Arch/X64/TrapEntry.asm.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_trap_exit_return")]
        public static extern byte* TrapExitReturn();

        /// <summary>The instructions after steps 3 and 4 in Arch/X64/SyscallEntry.asm.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_syscall_dispatch_return")]
        public static extern byte* SyscallDispatchReturn();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_syscall_exit_return")]
        public static extern byte* SyscallExitReturn();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_kernel_end")]
        public static extern byte* KernelEnd();
    }
}
