using System;
using Abi;

namespace TeachOS
{
    /// <summary>
    /// The links of the caller's network namespace by name, over the link syscalls (150-154) that take
    /// an interface's index: what `net link`, `ctr run --net bridge` and the tests use. Each call returns
    /// 0 or a negated errno; a name that names no interface here gives -ENODEV, as the kernel would.
    /// </summary>
    public static unsafe class NetworkLinks
    {
        public const int MaximumName = NetworkInterfaceStatus.MaximumName - 1;   // the kernel's 15 (Linux's IFNAMSIZ - 1)
        private const int ScanLimit = 16;                                       // past the kernel's interface list

        /// <summary>The index of interface <paramref name="name"/>, or -1.</summary>
        public static int Index(string name)
        {
            for (int i = 0; i < ScanLimit; i++)
                if (Sys.NetInterface(i, out NetworkInterfaceStatus status) == 0 && string.FromAscii(status.Name, status.NameLength) == name) return i;
            return -1;
        }

        /// <summary>The interface's status (flags, address, counters); false if there is none of that name.</summary>
        public static bool Status(string name, out NetworkInterfaceStatus status)
        {
            int index = Index(name);
            status = default;
            return index >= 0 && Sys.NetInterface(index, out status) == 0;
        }

        public static long AddVethPair(string name, string peer) => WithNames(NetworkLinkKind.Veth, name, peer);

        public static long AddBridge(string name) => WithNames(NetworkLinkKind.Bridge, name, "");

        public static long Delete(string name)
        {
            int index = Index(name);
            return index < 0 ? -Errno.ENODEV : Sys.NetLinkDelete(index);
        }

        public static long SetUp(string name, bool up)
        {
            int index = Index(name);
            return index < 0 ? -Errno.ENODEV : Sys.NetLinkSetUp(index, up ? 1 : 0);
        }

        /// <summary>Moves veth end <paramref name="name"/> into the network namespace of process <paramref name="pid"/>.</summary>
        public static long MoveToNamespaceOf(string name, int pid)
        {
            int index = Index(name);
            return index < 0 ? -Errno.ENODEV : Sys.NetLinkSetNamespace(index, pid);
        }

        /// <summary>Attaches <paramref name="name"/> to bridge <paramref name="bridge"/> (null: detaches it).</summary>
        public static long SetMaster(string name, string bridge)
        {
            int index = Index(name);
            int bridgeIndex = bridge == null ? -1 : Index(bridge);
            if (index < 0 || (bridge != null && bridgeIndex < 0)) return -Errno.ENODEV;
            return Sys.NetLinkSetMaster(index, bridgeIndex);
        }

        /// <summary>Gives interface <paramref name="name"/> the address <paramref name="address"/>/<paramref name="prefixLength"/>.</summary>
        public static long SetAddress(string name, uint address, int prefixLength)
        {
            int index = Index(name);
            return index < 0 ? -Errno.ENODEV : Sys.NetSetAddress(index, address, prefixLength);
        }

        // The names as bytes; one byte too many reaches the kernel's check (-EINVAL), as HostName.Set does.
        private static long WithNames(int kind, string name, string peer)
        {
            byte* first = stackalloc byte[MaximumName + 1];
            byte* second = stackalloc byte[MaximumName + 1];
            int firstLength = Copy(name, first), secondLength = Copy(peer, second);
            return Sys.NetLinkAdd(kind, new ReadOnlySpan<byte>(first, firstLength), new ReadOnlySpan<byte>(second, secondLength));
        }

        private static int Copy(string text, byte* into)
        {
            int length = text.Length < MaximumName + 1 ? text.Length : MaximumName + 1;
            for (int i = 0; i < length; i++) into[i] = (byte)text[i];
            return length;
        }
    }
}
