using System.Runtime.InteropServices;
using TeachOS.Boundary;

namespace Arch.X64
{
    /// <summary>
    /// What step 2 of the trap path builds: the interrupted code's state on the kernel stack after
    /// Arch/X64/TrapEntry.asm or Arch/X64/SyscallEntry.asm. Lowest address first: the registers the
    /// entry code pushed (last pushed, first here), the vector and error code, then what the CPU pushed
    /// itself. Change a field and step 5 resumes with the changed value: that is how a syscall returns
    /// its result in RAX. The entry stubs take the offsets and the order of the register pushes from
    /// this declaration (FRAME_RIP, FRAME_PUSH_REGISTERS in the generated layout.inc).
    /// </summary>
    [StructLayout(LayoutKind.Sequential), SharedWithAssembly("FRAME")]
    public struct TrapFrame
    {
        // Pushed by the entry stubs (FRAME_PUSH_REGISTERS), in this order from the lowest address.
        public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;

        // Pushed by the vector's stub (ErrorCode by the CPU for some exceptions, else 0 by the stub);
        // the `syscall` stub pushes Vector = TrapVectors.SyscallInstruction.
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

        /// <summary>Ring 3. TeachOS uses only rings 0 and 3, so any of the two low bits set means 3: one
        /// `test` instead of comparing the level (every trap's exit asks).</summary>
        public bool FromUserMode => (Cs & 3) != 0;

        public const int Size = 22 * 8;
    }
}
