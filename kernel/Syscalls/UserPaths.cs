using System;
using Mem;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// A path from user space, copied onto the caller's kernel stack as characters: every path syscall
    /// starts with this. The user's string is hostile: it may be unmapped (EFAULT) or have no NUL in
    /// reach (ENAMETOOLONG); the user-memory layer (Mem/UserMemory.cs) checks both.
    /// </summary>
    public static unsafe class UserPaths
    {
        /// <summary>The characters a caller's buffer needs: the longest path and its NUL.</summary>
        public const int Capacity = UserMemory.MaximumStringLength + 1;

        /// <summary>Copies <paramref name="path"/> into <paramref name="into"/> (Capacity long); its length, or -EFAULT, -ENAMETOOLONG.</summary>
        public static long CopyIn(UserString path, Span<char> into)
        {
            byte* bytes = stackalloc byte[Capacity];
            long length = UserMemory.CopyInString(Process.Current.AddressSpace, path, new Span<byte>(bytes, Capacity));
            for (int i = 0; i < length; i++) into[i] = (char)bytes[i];
            return length;
        }
    }
}
