using System.Runtime.InteropServices;

namespace Arch.X64
{
    /// <summary>
    /// Step 2 of the trap path: what the interrupted code's state looks like on the kernel stack after
    /// Traps/TrapEntry.asm. Lowest address first: the registers the entry code pushed (last pushed,
    /// first here), the vector and error code, then what the CPU pushed itself. Change a field and
    /// `iretq` resumes with the changed value: that is how a syscall returns its result in RAX.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TrapFrame
    {
        // Pushed by trap_common.
        public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;

        // Pushed by the vector's stub (ErrorCode by the CPU for some exceptions, else 0 by the stub).
        public ulong Vector;
        public ulong ErrorCode;

        // Pushed by the CPU: where and how to resume.
        public ulong Rip;
        public ulong Cs;
        public ulong Rflags;
        public ulong Rsp;
        public ulong Ss;

        /// <summary>The privilege level the CPU was in when the trap happened: 0 kernel, 3 user.</summary>
        public int PrivilegeLevel => (int)(Cs & 3);

        public bool FromUserMode => PrivilegeLevel == 3;

        public const int Size = 22 * 8;
    }
}
