using System;
using Abi;
using Mem;
using Net;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// Handlers for the network (130-139): what `net` shows and changes (interfaces, routes, the ARP cache,
    /// the drop counters, the packet pool) and the echo request `ping` sends. They act on the stack of the
    /// caller's network namespace (Namespaces/NamespaceSet.cs), held for the length of the call
    /// (<see cref="HoldStack"/>): another thread of the process may unshare meanwhile and let it go.
    /// </summary>
    [SyscallHandlers]
    public static unsafe class NetworkSyscalls
    {
        private static Process Current => Process.Current;

        /// <summary>The stack of <paramref name="process"/>'s network namespace, held (NetworkNamespaces.Release it).</summary>
        public static NetworkStack HoldStack(Process process)
        {
            Namespaces.NamespaceSet set = ProcessNamespaces.HoldOf(process);
            NetworkStack stack = NetworkNamespaces.Hold(set.Network);
            set.Release();
            return stack;
        }

        public static long NetInterface(int index, UserPointer<NetworkInterfaceStatus> status)
        {
            NetworkStack stack = HoldStack(Current);
            long result = NetInterfaceIn(stack, index, status);
            NetworkNamespaces.Release(stack);
            return result;
        }

        // The interface is held while it is read: a `net link del` meanwhile retires it, and the last holder frees it.
        private static long NetInterfaceIn(NetworkStack stack, int index, UserPointer<NetworkInterfaceStatus> status)
        {
            NetworkInterface found = stack.HoldInterface(index);
            long result = found == null ? -Errno.ENODEV : NetInterfaceOf(stack, found, status);
            stack.LetGo(found);
            return result;
        }

        private static long NetInterfaceOf(NetworkStack stack, NetworkInterface found, UserPointer<NetworkInterfaceStatus> status)
        {
            VirtualWire.DeliveryLock.Acquire();           // a port's bridge changes (and a bridge is freed) only under it
            int master = found.Master != null ? found.Master.Self.Index : -1;
            VirtualWire.DeliveryLock.Release();
            var result = new NetworkInterfaceStatus
            {
                Index = found.Index,
                Flags = (found.IsUp ? NetworkInterfaceFlags.Up : 0) | (found.IsLoopback ? NetworkInterfaceFlags.Loopback : 0)
                    | (found.Device is VirtualDevice && !found.IsLoopback ? NetworkInterfaceFlags.Veth : 0)
                    | (found.Device is BridgeDevice ? NetworkInterfaceFlags.Bridge : 0),
                Master = master,
                Mac = found.Mac,
                ReceivedFrames = found.ReceivedFrames, ReceivedBytes = found.ReceivedBytes,
                SentFrames = found.SentFrames, SentBytes = found.SentBytes,
                ReceiveDrops = found.ReceiveDrops + found.Device.ReceiveErrors, SendDrops = found.SendDrops,
            };
            bool flags = stack.Lock.Acquire();
            result.Address = found.Address;
            result.PrefixLength = found.PrefixLength;
            stack.Lock.Release(flags);
            result.NameLength = CopyName(found.Name, new Span<byte>(result.Name, NetworkInterfaceStatus.MaximumName));
            return UserMemory.Write(Current.AddressSpace, status, result) ? 0 : -Errno.EFAULT;
        }

        public static long NetSetAddress(int index, uint address, int prefixLength)
        {
            NetworkStack stack = HoldStack(Current);
            long result = NetSetAddressIn(stack, index, address, prefixLength);
            NetworkNamespaces.Release(stack);
            return result;
        }

        private static long NetSetAddressIn(NetworkStack stack, int index, uint address, int prefixLength)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            NetworkInterface found = stack.HoldInterface(index);
            if (found == null) return -Errno.ENODEV;
            long result = found.IsLoopback && address >> 24 != 127 ? -Errno.EINVAL : stack.SetAddress(found, address, prefixLength);
            stack.LetGo(found);
            return result;
        }

        public static long NetRoute(int index, UserPointer<NetworkRoute> route)
        {
            NetworkStack stack = HoldStack(Current);
            long result = NetRouteIn(stack, index, route);
            NetworkNamespaces.Release(stack);
            return result;
        }

        private static long NetRouteIn(NetworkStack stack, int index, UserPointer<NetworkRoute> route)
        {
            bool flags = stack.Lock.Acquire();
            bool exists = stack.Routes.At(index, out RoutingTable.Route row);
            int interfaceIndex = exists ? row.Interface.Index : -1;      // under the lock: the interface may go after it
            stack.Lock.Release(flags);
            if (!exists) return -Errno.ENOENT;
            var result = new NetworkRoute
            {
                Destination = row.Destination, PrefixLength = row.PrefixLength, Gateway = row.Gateway, InterfaceIndex = interfaceIndex,
            };
            return UserMemory.Write(Current.AddressSpace, route, result) ? 0 : -Errno.EFAULT;
        }

        public static long NetRouteAdd(uint destination, int prefixLength, uint gateway, int interfaceIndex)
        {
            NetworkStack stack = HoldStack(Current);
            long result = NetRouteAddIn(stack, destination, prefixLength, gateway, interfaceIndex);
            NetworkNamespaces.Release(stack);
            return result;
        }

        private static long NetRouteAddIn(NetworkStack stack, uint destination, int prefixLength, uint gateway, int interfaceIndex)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            if (prefixLength < 0 || prefixLength > 32 || interfaceIndex < -1) return -Errno.EINVAL;
            bool flags = stack.Lock.Acquire();
            NetworkInterface through = interfaceIndex >= 0 ? stack.Interface(interfaceIndex) : null;
            long result;
            if (interfaceIndex >= 0 && through == null) result = -Errno.ENODEV;
            else if (interfaceIndex < 0 && gateway == Ipv4Address.Any) result = -Errno.EINVAL;
            else
            {
                // A gateway must be a neighbour: on the subnet of the interface the route goes through.
                if (through == null)
                    for (int i = 0; i < NetworkStack.MaximumInterfaces && through == null; i++)
                    {
                        NetworkInterface candidate = stack.Interface(i);
                        if (candidate != null && candidate.Address != Ipv4Address.Any && !candidate.IsLoopback
                            && Ipv4Address.SameNetwork(candidate.Address, gateway, candidate.PrefixLength)) through = candidate;
                    }
                if (through == null) result = -Errno.ENETUNREACH;
                else if (gateway != Ipv4Address.Any && (through.Address == Ipv4Address.Any || !Ipv4Address.SameNetwork(through.Address, gateway, through.PrefixLength)))
                    result = -Errno.ENETUNREACH;
                else result = stack.Routes.Add(destination, prefixLength, gateway, through);
            }
            stack.Lock.Release(flags);
            return result;
        }

        public static long NetRouteDelete(uint destination, int prefixLength)
        {
            NetworkStack stack = HoldStack(Current);
            long result = NetRouteDeleteIn(stack, destination, prefixLength);
            NetworkNamespaces.Release(stack);
            return result;
        }

        private static long NetRouteDeleteIn(NetworkStack stack, uint destination, int prefixLength)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            if (prefixLength < 0 || prefixLength > 32) return -Errno.EINVAL;
            bool flags = stack.Lock.Acquire();
            long result = stack.Routes.Delete(destination, prefixLength);
            stack.Lock.Release(flags);
            return result;
        }

        [MayBlock]
        public static long Ping(uint destination, int identifier, int sequence, int dataBytes, int timeoutMilliseconds, UserPointer<EchoReply> reply)
        {
            NetworkStack stack = HoldStack(Current);
            long result = PingIn(stack, destination, identifier, sequence, dataBytes, timeoutMilliseconds, reply);
            NetworkNamespaces.Release(stack);
            return result;
        }

        [MayBlock]
        private static long PingIn(NetworkStack stack, uint destination, int identifier, int sequence, int dataBytes, int timeoutMilliseconds, UserPointer<EchoReply> reply)
        {
            if (identifier < 0 || identifier > 0xFFFF || sequence < 0 || sequence > 0xFFFF || timeoutMilliseconds > 60_000) return -Errno.EINVAL;
            int result = EchoRequests.Ping(stack, destination, (ushort)identifier, (ushort)sequence, dataBytes,
                timeoutMilliseconds, out ulong roundTrip, out byte timeToLive);
            if (result < 0) return result;
            var answer = new EchoReply { RoundTripMicroseconds = roundTrip, TimeToLive = timeToLive };
            return UserMemory.Write(Current.AddressSpace, reply, answer) ? 0 : -Errno.EFAULT;
        }

        public static long NetCounter(int index, UserPointer<NetworkCounter> counter)
        {
            NetworkStack stack = HoldStack(Current);
            long result = NetCounterIn(stack, index, counter);
            NetworkNamespaces.Release(stack);
            return result;
        }

        private static long NetCounterIn(NetworkStack stack, int index, UserPointer<NetworkCounter> counter)
        {
            if (index < 0 || index >= (int)DropReason.Count) return -Errno.ENOENT;
            var result = new NetworkCounter { Count = stack.Drops((DropReason)index) };
            result.NameLength = CopyName(DropReasons.Name((DropReason)index), new Span<byte>(result.Name, NetworkCounter.MaximumName));
            return UserMemory.Write(Current.AddressSpace, counter, result) ? 0 : -Errno.EFAULT;
        }

        public static long NetBuffers(UserPointer<PacketBufferUsage> usage)
        {
            var result = new PacketBufferUsage
            {
                InUse = PacketPool.InUse, MostInUse = PacketPool.MostInUse, Total = PacketPool.Size, Exhausted = PacketPool.Exhausted,
            };
            return UserMemory.Write(Current.AddressSpace, usage, result) ? 0 : -Errno.EFAULT;
        }

        public static long NetNeighbour(int index, UserPointer<NetworkNeighbour> neighbour)
        {
            NetworkStack stack = HoldStack(Current);
            long result = NetNeighbourIn(stack, index, neighbour);
            NetworkNamespaces.Release(stack);
            return result;
        }

        private static long NetNeighbourIn(NetworkStack stack, int index, UserPointer<NetworkNeighbour> neighbour)
        {
            bool flags = stack.Lock.Acquire();
            bool exists = stack.Arp.At(index, out ArpCache.Entry entry);
            stack.Lock.Release(flags);
            if (!exists) return -Errno.ENOENT;
            ulong now = Time.Clock.UptimeMilliseconds;
            var result = new NetworkNeighbour
            {
                Address = entry.Address, InterfaceIndex = entry.Interface.Index,
                Mac = entry.State == ArpCache.State.Reachable ? entry.Mac : 0, State = (int)entry.State,
                MillisecondsLeft = entry.DeadlineMilliseconds > now ? (int)(entry.DeadlineMilliseconds - now) : 0,
            };
            return UserMemory.Write(Current.AddressSpace, neighbour, result) ? 0 : -Errno.EFAULT;
        }

        // ASCII names into a fixed buffer of a structure about to be copied out.
        private static int CopyName(string name, Span<byte> into)
        {
            int length = Math.Min(name.Length, into.Length);
            for (int i = 0; i < length; i++) into[i] = (byte)name[i];
            return length;
        }
    }
}
