namespace Abi
{
    /// <summary>
    /// The system call numbers. The calling convention (for `syscall` and for `int 0x80` alike):
    /// <code>
    ///   rax = number; arguments in rdi, rsi, rdx, r10, r8, r9 (r10, not rcx: `syscall` overwrites rcx)
    ///   result in rax: a value >= 0, or a negated errno (abi/Errno.cs)
    ///   all other registers are preserved, except rcx and r11, which `syscall` uses for the return
    ///   address and the flags
    /// </code>
    /// The constants, one per syscall (SyscallNumbers.Write = 3, ...), are generated from the
    /// [Syscall(n)] attributes in abi/Syscalls.cs (analyzers/TeachOS.Analyzers/Generators/NumbersEmitter.cs),
    /// so each number is written in exactly one place.
    /// </summary>
    public static partial class SyscallNumbers
    {
    }
}
