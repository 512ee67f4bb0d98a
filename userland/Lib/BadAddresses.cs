using System.Runtime.CompilerServices;

namespace TeachOS
{
    /// <summary>
    /// Addresses a program has no right to hand the kernel, for the tests that every syscall refuses
    /// them with -EFAULT (usertests, the assignments' test programs). The layout they come from is in
    /// docs/guide/05-processes.md.
    /// </summary>
    public static unsafe class BadAddresses
    {
        /// <summary>The start of the kernel's half: present in every address space, but supervisor-only.</summary>
        public const ulong KernelAddress = 0xFFFF800000000000;

        /// <summary>Between the program and its stack: nothing is mapped there.</summary>
        public const ulong UnmappedAddress = 0x10000000;

        /// <summary>The first address past user space (and the first non-canonical one).</summary>
        public const ulong EndOfUserSpace = 0x0000800000000000;

        /// <summary>The program's own code: mapped and the program's, but read-only.</summary>
        public static ulong ReadOnlyCode => (ulong)(delegate*<int>)&Code;

        /// <summary>True while the code at <see cref="ReadOnlyCode"/> is what it was (no syscall wrote to it).</summary>
        public static bool ReadOnlyCodeIsIntact => Code() == 42;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Code() => 42;
    }
}
