using System;
using Abi;
using Mem;
using Namespaces;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// Handlers for the namespaces (Namespaces/NamespaceSet.cs): unshare, and the UTS namespace's host name
    /// (Namespaces/UtsNamespace.cs).
    /// </summary>
    [SyscallHandlers]
    public static unsafe class NamespaceSyscalls
    {
        /// <summary>unshare(flags): the caller leaves the namespaces named for new ones. 0, or -EINVAL, -EPERM, -ENOSPC, -ENOMEM.</summary>
        public static long Unshare(int flags) => NamespaceSet.Unshare(Process.Current, flags);

        /// <summary>sethostname(name): root only; 1 to 64 bytes, copied to the kernel stack before the namespace changes.</summary>
        public static long SetHostName(UserBuffer name)
        {
            if (!Process.Current.Credentials.IsRoot) return -Errno.EPERM;
            if (name.Length == 0 || name.Length > UtsNamespace.MaximumHostName) return -Errno.EINVAL;
            byte* copy = stackalloc byte[UtsNamespace.MaximumHostName];
            var bytes = new Span<byte>(copy, (int)name.Length);
            if (!UserMemory.CopyIn(Process.Current.AddressSpace, name, bytes)) return -Errno.EFAULT;
            NamespaceSet namespaces = NamespaceSet.HoldOf(Process.Current);
            namespaces.Uts.WriteHostName(bytes);
            namespaces.Release();
            return 0;
        }

        /// <summary>gethostname(buffer): as much of the name as fits; its whole length.</summary>
        public static long GetHostName(UserBuffer name)
        {
            byte* copy = stackalloc byte[UtsNamespace.MaximumHostName];
            NamespaceSet namespaces = NamespaceSet.HoldOf(Process.Current);
            int length = namespaces.Uts.ReadHostName(new Span<byte>(copy, UtsNamespace.MaximumHostName));
            namespaces.Release();
            ulong fits = name.Length < (ulong)length ? name.Length : (ulong)length;
            if (fits > 0 && !UserMemory.CopyOut(Process.Current.AddressSpace, name, new ReadOnlySpan<byte>(copy, (int)fits))) return -Errno.EFAULT;
            return length;
        }
    }
}
