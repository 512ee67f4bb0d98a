using System;
using Abi;
using Mem;
using Net;
using Proc;
using Sched;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// Handlers for the links (150-154): the virtual interfaces of the caller's network namespace, made,
    /// deleted, brought up, attached to a bridge and moved into another namespace (Net/Links.cs does the
    /// work; here are the checks: root, the names copied in, the index and the pid looked up).
    /// </summary>
    [SyscallHandlers]
    public static unsafe class NetworkLinkSyscalls
    {
        private static Process Current => Process.Current;

        public static long NetLinkAdd(int kind, UserBuffer name, UserBuffer peerName)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            if (kind != NetworkLinkKind.Veth && kind != NetworkLinkKind.Bridge) return -Errno.EINVAL;
            if (name.Length == 0 || name.Length > Links.MaximumName || peerName.Length > Links.MaximumName) return -Errno.EINVAL;
            if ((kind == NetworkLinkKind.Veth) != (peerName.Length > 0)) return -Errno.EINVAL;
            string first = CopyName(name, out bool faulted);
            bool peerFaulted = false;
            string second = peerName.Length > 0 ? CopyName(peerName, out peerFaulted) : null;
            if (faulted || peerFaulted)
            {
                KernelHeap.Free(first);
                KernelHeap.Free(second);
                return -Errno.EFAULT;
            }
            NetworkStack stack = NetworkSyscalls.HoldStack(Current);
            long result = kind == NetworkLinkKind.Veth ? Links.AddVethPair(stack, first, second) : Links.AddBridge(stack, first);
            NetworkNamespaces.Release(stack);             // the names are Links' now: kept by the interfaces or freed
            return result;
        }

        public static long NetLinkDelete(int index)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            NetworkStack stack = NetworkSyscalls.HoldStack(Current);
            NetworkInterface found = stack.HoldInterface(index);     // held: another may delete it meanwhile
            long result = found == null ? -Errno.ENODEV : Links.Delete(found);
            stack.LetGo(found);
            NetworkNamespaces.Release(stack);
            return result;
        }

        public static long NetLinkSetUp(int index, int up)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            if (up != 0 && up != 1) return -Errno.EINVAL;
            NetworkStack stack = NetworkSyscalls.HoldStack(Current);
            NetworkInterface found = stack.HoldInterface(index);
            long result = found == null ? -Errno.ENODEV : Links.SetUp(found, up == 1);
            stack.LetGo(found);
            NetworkNamespaces.Release(stack);
            return result;
        }

        public static long NetLinkSetMaster(int index, int bridgeIndex)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            NetworkStack stack = NetworkSyscalls.HoldStack(Current);
            NetworkInterface found = stack.HoldInterface(index);
            NetworkInterface bridge = bridgeIndex == -1 ? null : stack.HoldInterface(bridgeIndex);
            long result = found == null || (bridgeIndex != -1 && bridge == null) ? -Errno.ENODEV : Links.SetMaster(found, bridge);
            stack.LetGo(found);
            stack.LetGo(bridge);
            NetworkNamespaces.Release(stack);
            return result;
        }

        public static long NetLinkSetNamespace(int index, int pid)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            // The target's namespaces, held under the scheduler's lock so that it cannot be reaped in between (as setns).
            global::Namespaces.NamespaceSet theirs = null;
            bool locked = Scheduler.ThreadStateLock.Acquire();
            Process target = Processes.Find(pid, Current.PidNamespace);
            if (target != null && !target.IsZombie) theirs = ProcessNamespaces.HoldOf(target);
            Scheduler.ThreadStateLock.Release(locked);
            if (theirs == null) return -Errno.ESRCH;
            NetworkStack stack = NetworkSyscalls.HoldStack(Current);
            NetworkInterface found = stack.HoldInterface(index);
            long result = found == null ? -Errno.ENODEV : Links.MoveTo(found, theirs.Network);
            stack.LetGo(found);
            NetworkNamespaces.Release(stack);
            theirs.Release();
            return result;
        }

        // An interface name from user memory, as a string (checked by Links.IsValidName).
        private static string CopyName(UserBuffer name, out bool faulted)
        {
            byte* copy = stackalloc byte[Links.MaximumName];
            var bytes = new Span<byte>(copy, (int)name.Length);
            faulted = !UserMemory.CopyIn(Current.AddressSpace, name, bytes);
            return faulted ? null : string.FromAscii(copy, (int)name.Length);
        }
    }
}
