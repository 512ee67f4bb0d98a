using Abi;
using Sync;
using Terminal;

namespace Net
{
    /// <summary>
    /// One network stack: its interfaces, its routing table, its ARP cache, its drop counters and its
    /// TCP and UDP (with their port tables). Everything a packet's way depends on hangs off this object,
    /// and nothing of it is static, so that a network namespace (CLONE_NEWNET) is simply another
    /// NetworkStack with its own loopback, addresses, routes and ports (NetworkNamespaces.cs makes and
    /// frees them). <see cref="Root"/> is made at boot (NetworkBoot.cs) and holds the card; the system
    /// calls and sockets use the stack of the caller's network namespace (Namespaces/NamespaceSet.cs).
    ///
    /// <see cref="Lock"/> (a spin lock) guards the tables: the interface list, every interface's
    /// address, the routes, the ARP cache. It is never held while a frame is handed to a device or a
    /// thread sleeps: callers copy out what they need (a route, a MAC address) and let it go.
    /// </summary>
    public sealed class NetworkStack
    {
        public const int MaximumInterfaces = 8;

        public static NetworkStack Root { get; private set; }

        public SpinLock Lock;
        private readonly NetworkInterface[] _interfaces = new NetworkInterface[MaximumInterfaces];
        public readonly RoutingTable Routes = new RoutingTable();
        public readonly ArpCache Arp;
        private readonly ulong[] _drops = new ulong[(int)DropReason.Count];
        private ushort _nextDatagramId;

        /// <summary>TCP and UDP of this stack: their connections and port tables (Sockets/Transport.cs makes them).</summary>
        public Tcp.TcpLayer Tcp;
        public Udp.UdpLayer Udp;

        /// <summary>Who holds the stack: namespace sets and sockets (NetworkNamespaces.cs counts, under its lock).</summary>
        internal int References = 1;

        public NetworkStack() => Arp = new ArpCache(this);

        public static void SetRoot(NetworkStack stack) => Root = stack;

        /// <summary>Adds an interface for <paramref name="device"/> (at boot); null if the list is full.</summary>
        public NetworkInterface AddInterface(string name, Drivers.NetworkDevice device, bool isLoopback, bool isUp = true)
        {
            bool flags = Lock.Acquire();
            for (int i = 0; i < MaximumInterfaces; i++)
            {
                if (_interfaces[i] != null) continue;
                var created = new NetworkInterface(this, i, name, device, isLoopback) { IsUp = isUp };
                _interfaces[i] = created;
                Lock.Release(flags);
                return created;
            }
            Lock.Release(flags);
            return null;
        }

        /// <summary>The interface with this index, or null.</summary>
        public NetworkInterface Interface(int index) =>
            index >= 0 && index < MaximumInterfaces ? _interfaces[index] : null;

        /// <summary>The interface called <paramref name="name"/>, or null.</summary>
        public NetworkInterface Named(string name)
        {
            for (int i = 0; i < MaximumInterfaces; i++)
                if (_interfaces[i] != null && _interfaces[i].Name == name) return _interfaces[i];
            return null;
        }

        /// <summary>
        /// Takes an interface out of this stack (deleted, or moved to another namespace): its slot, its routes,
        /// its ARP rows (and the datagrams waiting in them) and the frames queued for it on the virtual wire.
        /// Call with VirtualWire.DeliveryLock held, so none of its frames is on its way up meanwhile.
        /// </summary>
        public void RemoveInterface(NetworkInterface networkInterface)
        {
            bool flags = Lock.Acquire();
            if (_interfaces[networkInterface.Index] == networkInterface) _interfaces[networkInterface.Index] = null;
            networkInterface.Removed = true;
            Routes.DeleteAllThrough(networkInterface);
            PacketBuffer waiting = Arp.ForgetLocked(networkInterface);
            Lock.Release(flags);
            VirtualWire.FreeChain(waiting);
            VirtualWire.DropQueuedFor(networkInterface);
        }

        /// <summary>The interface with this index, held (give it back with <see cref="LetGo"/>), or null: for a
        /// system call, which uses it after letting the lock go, while another may delete it.</summary>
        public NetworkInterface HoldInterface(int index)
        {
            if (index < 0 || index >= MaximumInterfaces) return null;
            bool flags = Lock.Acquire();
            NetworkInterface found = _interfaces[index];
            if (found != null) found.Holds++;
            Lock.Release(flags);
            return found;
        }

        /// <summary>One more hold on an interface found under <see cref="Lock"/> (held by the caller).</summary>
        internal static void HoldLocked(NetworkInterface networkInterface) => networkInterface.Holds++;

        /// <summary>Lets go of a hold; the last one on a retired interface frees it. Null is allowed.</summary>
        public void LetGo(NetworkInterface networkInterface)
        {
            if (networkInterface == null) return;
            bool flags = Lock.Acquire();
            bool free = --networkInterface.Holds == 0 && networkInterface.Retired;
            Lock.Release(flags);
            if (free) networkInterface.Free();
        }

        /// <summary>
        /// An interface that has left this stack for good (RemoveInterface first): freed now if nobody holds it,
        /// else by the last holder. Call with VirtualWire.DeliveryLock held, after whatever else pointed at it
        /// (a bridge's ports and table, a veth's other end, the wire's queue) has let it go.
        /// </summary>
        public void Retire(NetworkInterface networkInterface)
        {
            bool flags = Lock.Acquire();
            networkInterface.Retired = true;
            bool free = networkInterface.Holds == 0;
            Lock.Release(flags);
            if (free) networkInterface.Free();
        }

        /// <summary>
        /// Gives back the stack's own memory: its tables and itself. Its interfaces are gone (retired) and its
        /// TCP and UDP freed (Sockets/Transport.Detach) before: NetworkNamespaces.Tear keeps that order.
        /// </summary>
        internal void Free()
        {
            Routes.Free();
            Arp.Free();
            Mem.KernelHeap.Free(_drops);
            Mem.KernelHeap.Free(_interfaces);
            Mem.KernelHeap.Free(this);
        }

        public NetworkInterface Loopback
        {
            get
            {
                for (int i = 0; i < MaximumInterfaces; i++)
                    if (_interfaces[i] != null && _interfaces[i].IsLoopback) return _interfaces[i];
                return null;
            }
        }

        /// <summary>True if <paramref name="address"/> is one of this stack's own addresses. Call with <see cref="Lock"/> held.</summary>
        public bool IsLocalAddressLocked(uint address)
        {
            if (address == Ipv4Address.Any) return false;
            for (int i = 0; i < MaximumInterfaces; i++)
                if (_interfaces[i] != null && _interfaces[i].Address == address) return true;
            return false;
        }

        /// <summary>
        /// Gives an interface its address: the connected route of the old subnet goes, one for the new
        /// subnet comes (as Linux does when an address is added). 0, or -EINVAL for a prefix out of range
        /// or an address no host may have.
        /// </summary>
        public int SetAddress(NetworkInterface networkInterface, uint address, int prefixLength)
        {
            if (prefixLength < 1 || prefixLength > 32 || address == Ipv4Address.Any || Ipv4Address.IsMulticastOrBroadcast(address))
                return -Errno.EINVAL;
            bool flags = Lock.Acquire();
            if (networkInterface.Removed) { Lock.Release(flags); return -Errno.ENODEV; }   // deleted meanwhile: no route through it
            Routes.DeleteConnected(networkInterface);
            networkInterface.Address = address;
            networkInterface.PrefixLength = prefixLength;
            int result = Routes.Add(address, prefixLength, 0, networkInterface);
            Lock.Release(flags);
            return result == -Errno.EEXIST ? 0 : result;
        }

        /// <summary>The Identification field of the next datagram (RFC 791: unique per source and
        /// destination while a datagram may live; a counter is what most stacks use).</summary>
        public ushort NextDatagramId()
        {
            bool flags = Lock.Acquire();
            ushort id = ++_nextDatagramId;
            Lock.Release(flags);
            return id;
        }

        /// <summary>Counts a dropped packet under its reason; the first few of each reason are printed,
        /// so that the serial log shows what came in malformed without a flood drowning it.</summary>
        public void CountDrop(DropReason reason)
        {
            bool flags = Lock.Acquire();
            ulong count = ++_drops[(int)reason];
            Lock.Release(flags);
            if (count <= 3) Console.WriteWholeLine($"net: dropped: {DropReasons.Name(reason)} ({count})");
        }

        public ulong Drops(DropReason reason) => _drops[(int)reason];
    }
}
