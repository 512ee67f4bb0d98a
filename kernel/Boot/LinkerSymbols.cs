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

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "linker_kernel_end")]
        public static extern byte* KernelEnd();
    }
}
