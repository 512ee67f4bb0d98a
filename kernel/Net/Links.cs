using Abi;

namespace Net
{
    /// <summary>
    /// Changing a stack's links, what `net link` does (Linux's `ip link`): make a veth pair or a bridge,
    /// delete one, bring it up or down, attach it to a bridge, move a veth end into another network
    /// namespace. Every change is made with VirtualWire.DeliveryLock held: changes never interleave, and
    /// no frame is on its way up an interface that is leaving its stack.
    /// Only virtual interfaces are made, moved or deleted: lo and the card stay where boot put them.
    /// </summary>
    public static class Links
    {
        /// <summary>Linux's IFNAMSIZ less its terminating zero.</summary>
        public const int MaximumName = 15;

        /// <summary>An interface name: 1-15 letters, digits, '.', '-', '_' (not "." or "..": Linux refuses them, they are paths in sysfs).</summary>
        public static bool IsValidName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > MaximumName || name == "." || name == "..") return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
                if (!ok) return false;
            }
            return true;
        }

        /// <summary>A veth pair <paramref name="name"/> and <paramref name="peerName"/> in <paramref name="stack"/>, both down.
        /// The two name strings (made by the system call) are taken over: kept by the interfaces, freed with them, or freed at once.
        /// 0; -EINVAL (a bad name, or the same twice), -EEXIST (a name taken), -ENOSPC (the interface list is full).</summary>
        public static int AddVethPair(NetworkStack stack, string name, string peerName)
        {
            if (!IsValidName(name) || !IsValidName(peerName) || name == peerName) return FreeNames(name, peerName, -Errno.EINVAL);
            VirtualWire.DeliveryLock.Acquire();
            int result = 0;
            if (stack.Named(name) != null || stack.Named(peerName) != null) result = FreeNames(name, peerName, -Errno.EEXIST);
            else
            {
                var device = new VirtualDevice("veth", withMac: true);
                var peerDevice = new VirtualDevice("veth", withMac: true);
                NetworkInterface one = stack.AddInterface(name, device, isLoopback: false, isUp: false);
                NetworkInterface other = one != null ? stack.AddInterface(peerName, peerDevice, isLoopback: false, isUp: false) : null;
                if (other == null)
                {
                    if (one != null)
                    {
                        stack.RemoveInterface(one);
                        stack.Retire(one);                  // with its device and name (a system call may have it in hand)
                    }
                    else
                    {
                        Mem.KernelHeap.Free(device);
                        Mem.KernelHeap.Free(name);
                    }
                    Mem.KernelHeap.Free(peerDevice);
                    Mem.KernelHeap.Free(peerName);
                    result = -Errno.ENOSPC;
                }
                else
                {
                    device.Peer = other;                // a frame sent on one end is received on the other
                    peerDevice.Peer = one;
                }
            }
            VirtualWire.DeliveryLock.Release();
            return result;
        }

        /// <summary>A bridge <paramref name="name"/> in <paramref name="stack"/>, down, with no ports. 0, -EINVAL, -EEXIST, -ENOSPC.
        /// The name string is taken over: kept by the interface, freed with it, or freed at once (Bridge.Create on -ENOSPC).</summary>
        public static int AddBridge(NetworkStack stack, string name)
        {
            if (!IsValidName(name)) return FreeNames(name, null, -Errno.EINVAL);
            VirtualWire.DeliveryLock.Acquire();
            int result = stack.Named(name) != null ? FreeNames(name, null, -Errno.EEXIST) : Bridge.Create(stack, name) == null ? -Errno.ENOSPC : 0;
            VirtualWire.DeliveryLock.Release();
            return result;
        }

        /// <summary>Deletes a veth (both ends, wherever the other is, as Linux does) or a bridge (its ports are let go).
        /// -EOPNOTSUPP for lo and the card, -ENODEV if it is gone already.</summary>
        public static int Delete(NetworkInterface networkInterface)
        {
            if (!IsVirtual(networkInterface)) return -Errno.EOPNOTSUPP;
            VirtualWire.DeliveryLock.Acquire();
            int result = networkInterface.Removed ? -Errno.ENODEV : 0;
            if (result == 0) RemoveLocked(networkInterface);
            VirtualWire.DeliveryLock.Release();
            return result;
        }

        /// <summary>Up or down. A down interface drops what it would send or receive.</summary>
        public static int SetUp(NetworkInterface networkInterface, bool up)
        {
            VirtualWire.DeliveryLock.Acquire();
            int result = networkInterface.Removed ? -Errno.ENODEV : 0;
            if (result == 0) networkInterface.IsUp = up;
            VirtualWire.DeliveryLock.Release();
            return result;
        }

        /// <summary>
        /// Makes <paramref name="port"/> a port of the bridge <paramref name="bridge"/> (null: of none). Both must be
        /// in one stack; a bridge, lo or the card cannot be a port (-EINVAL), nor <paramref name="bridge"/> be other than a bridge.
        /// </summary>
        public static int SetMaster(NetworkInterface port, NetworkInterface bridge)
        {
            if (!(port.Device is VirtualDevice) || port.IsLoopback) return -Errno.EINVAL;
            if (bridge != null && (!(bridge.Device is BridgeDevice) || bridge.Stack != port.Stack)) return -Errno.EINVAL;
            VirtualWire.DeliveryLock.Acquire();
            int result = port.Removed || (bridge != null && bridge.Removed) ? -Errno.ENODEV : 0;
            if (result == 0)
            {
                port.Master?.Detach(port);
                if (bridge != null) result = ((BridgeDevice)bridge.Device).Bridge.Attach(port);
            }
            VirtualWire.DeliveryLock.Release();
            return result;
        }

        /// <summary>
        /// Moves a veth end into <paramref name="target"/> (another network namespace's stack): it leaves its
        /// bridge, its routes and its address behind and arrives down, as in Linux. -EINVAL for anything but a
        /// veth end, -EEXIST if the name is taken there, -ENOSPC if the target's interface list is full.
        /// </summary>
        public static int MoveTo(NetworkInterface networkInterface, NetworkStack target)
        {
            if (!(networkInterface.Device is VirtualDevice device) || networkInterface.IsLoopback) return -Errno.EINVAL;
            if (target == networkInterface.Stack) return 0;
            VirtualWire.DeliveryLock.Acquire();
            int result = networkInterface.Removed ? -Errno.ENODEV : target.Named(networkInterface.Name) != null ? -Errno.EEXIST : 0;
            if (result == 0)
            {
                NetworkInterface moved = target.AddInterface(networkInterface.Name, device, isLoopback: false, isUp: false);
                if (moved == null) result = -Errno.ENOSPC;
                else
                {
                    networkInterface.Master?.Detach(networkInterface);
                    NetworkInterface peer = device.Peer;
                    if (peer != null && peer.Device is VirtualDevice peerDevice) peerDevice.Peer = moved;
                    networkInterface.Stack.RemoveInterface(networkInterface);
                    networkInterface.HandedOn = true;       // `moved` has its device and name now
                    networkInterface.Stack.Retire(networkInterface);
                }
            }
            VirtualWire.DeliveryLock.Release();
            return result;
        }

        /// <summary>Takes an interface out of its stack for good (deleted, or its namespace is gone), with what hangs on it:
        /// its bridge's hold on it, a bridge's ports, a veth's other end. Call with VirtualWire.DeliveryLock held.</summary>
        /// The interfaces removed are retired (NetworkStack.Retire): freed once nobody holds them. The order makes
        /// that safe: first every pointer to it from elsewhere goes (its bridge's port and table rows, under the
        /// bridge's lock; the other end's Peer, read by senders under the wire's lock), then it leaves its stack
        /// (routes, ARP rows, frames queued for it), and only then is it retired.
        internal static void RemoveLocked(NetworkInterface networkInterface)
        {
            if (networkInterface.Removed) return;
            networkInterface.Master?.Detach(networkInterface);
            if (networkInterface.Device is BridgeDevice bridge) bridge.Bridge.DetachAll();
            NetworkInterface peer = null;
            if (networkInterface.Device is VirtualDevice device)
            {
                peer = device.Peer;
                device.Peer = null;
                if (peer == networkInterface) peer = null;              // a loopback: its own peer
                else if (peer != null) ((VirtualDevice)peer.Device).Peer = null;
            }
            networkInterface.Stack.RemoveInterface(networkInterface);
            if (peer != null) RemoveLocked(peer);
            networkInterface.Stack.Retire(networkInterface);
        }

        // A refusal: the names taken over are not kept, so they are freed (there is no garbage collector).
        private static int FreeNames(string name, string peerName, int result)
        {
            Mem.KernelHeap.Free(name);
            Mem.KernelHeap.Free(peerName);
            return result;
        }

        private static bool IsVirtual(NetworkInterface networkInterface) =>
            !networkInterface.IsLoopback && (networkInterface.Device is VirtualDevice || networkInterface.Device is BridgeDevice);
    }
}
