namespace Abi
{
    /// <summary>
    /// The system call numbers: the one list both the kernel's dispatcher and the user library's stubs
    /// are built from. The calling convention (for `syscall` and for `int 0x80` alike):
    /// <code>
    ///   rax = number; arguments in rdi, rsi, rdx, r10, r8, r9 (r10, not rcx: `syscall` overwrites rcx)
    ///   result in rax: a value >= 0, or a negated errno (abi/Errno.cs)
    ///   all other registers are preserved, except rcx and r11, which `syscall` uses for the return
    ///   address and the flags
    /// </code>
    /// </summary>
    public static class SyscallNumbers
    {
        public const int Exit = 0;
        public const int GetPid = 1;
        public const int GetParentPid = 2;
        public const int Write = 3;
        public const int Read = 4;
        public const int Open = 5;
        public const int Close = 6;
        public const int FileStatus = 7;
        public const int Pipe = 8;
        public const int Duplicate = 9;
        public const int Spawn = 10;
        public const int Wait = 11;
        public const int Kill = 12;
        public const int Sbrk = 13;
        public const int Sleep = 14;
        public const int Uptime = 15;
        public const int Yield = 16;
        public const int ReadDirectory = 17;
        public const int ThreadCreate = 18;
        public const int ThreadExit = 19;
        public const int ThreadJoin = 20;
        public const int ThreadInfo = 21;
        public const int GetThreadId = 22;
        public const int Count = 23;
    }
}
