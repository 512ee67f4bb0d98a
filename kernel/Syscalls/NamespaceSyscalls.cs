using Namespaces;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>Handlers for the namespaces (Namespaces/NamespaceSet.cs): unshare.</summary>
    [SyscallHandlers]
    public static class NamespaceSyscalls
    {
        /// <summary>unshare(flags): the caller leaves the namespaces named for new, empty ones. 0, or -EINVAL, -ENOMEM.</summary>
        public static long Unshare(int flags) => NamespaceSet.Unshare(Process.Current, flags);
    }
}
