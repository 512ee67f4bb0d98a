using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    /// <summary>
    /// What the base library needs from whoever it runs under. The kernel implements these symbols
    /// (memory from the kernel heap; failure = panic) and so does the user library (memory from the
    /// process heap; failure = report and exit). The linker joins the two sides by name.
    /// </summary>
    public static unsafe class Platform
    {
        /// <summary>Returns <paramref name="size"/> bytes of zeroed memory, 16-byte aligned.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        [RuntimeImport("*", "teachos_platform_allocate")]
        public static extern void* Allocate(nuint size);

        /// <summary>
        /// Ends execution with a report that <paramref name="exception"/> was thrown (or a check the
        /// compiler inserted failed). The implementation records where it was called from and prints
        /// a backtrace from there. Never returns.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        [RuntimeImport("*", "teachos_platform_fail")]
        public static extern void Fail(Exception exception);
    }
}
