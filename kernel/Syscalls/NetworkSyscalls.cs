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
    /// the drop counters, the packet pool) and the echo request `ping` sends. They act on the caller's
    /// network stack, which is the root one (Net/NetworkStack.cs) until network namespaces give a process
    /// another; <see cref="StackOf"/> is the one place that will change.
    /// </summary>
    [SyscallHandlers]
    public static unsafe class NetworkSyscalls
    {
        private static Process Current => Process.Current;

        private static NetworkStack StackOf(Process process) => NetworkStack.Root;

        public static long NetInterface(int index, UserPointer<NetworkInterfaceStatus> status)
        {
            NetworkStack stack = StackOf(Current);
            NetworkInterface found = stack.Interface(index);
            if (found == null) return -Errno.ENODEV;
            var result = new NetworkInterfaceStatus
            {
                Index = found.Index,
                Flags = NetworkInterfaceFlags.Up | (found.IsLoopback ? NetworkInterfaceFlags.Loopback : 0),
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
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            NetworkStack stack = StackOf(Current);
            NetworkInterface found = stack.Interface(index);
            if (found == null) return -Errno.ENODEV;
            if (found.IsLoopback && address >> 24 != 127) return -Errno.EINVAL;
            return stack.SetAddress(found, address, prefixLength);
        }

        public static long NetRoute(int index, UserPointer<NetworkRoute> route)
        {
            NetworkStack stack = StackOf(Current);
            bool flags = stack.Lock.Acquire();
            bool exists = stack.Routes.At(index, out RoutingTable.Route row);
            stack.Lock.Release(flags);
            if (!exists) return -Errno.ENOENT;
            var result = new NetworkRoute
            {
                Destination = row.Destination, PrefixLength = row.PrefixLength, Gateway = row.Gateway, InterfaceIndex = row.Interface.Index,
            };
            return UserMemory.Write(Current.AddressSpace, route, result) ? 0 : -Errno.EFAULT;
        }

        public static long NetRouteAdd(uint destination, int prefixLength, uint gateway, int interfaceIndex)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            if (prefixLength < 0 || prefixLength > 32 || interfaceIndex < -1) return -Errno.EINVAL;
            NetworkStack stack = StackOf(Current);
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
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
            if (prefixLength < 0 || prefixLength > 32) return -Errno.EINVAL;
            NetworkStack stack = StackOf(Current);
            bool flags = stack.Lock.Acquire();
            long result = stack.Routes.Delete(destination, prefixLength);
            stack.Lock.Release(flags);
            return result;
        }

        [MayBlock]
        public static long Ping(uint destination, int identifier, int sequence, int dataBytes, int timeoutMilliseconds, UserPointer<EchoReply> reply)
        {
            if (identifier < 0 || identifier > 0xFFFF || sequence < 0 || sequence > 0xFFFF || timeoutMilliseconds > 60_000) return -Errno.EINVAL;
            int result = EchoRequests.Ping(StackOf(Current), destination, (ushort)identifier, (ushort)sequence, dataBytes,
                timeoutMilliseconds, out ulong roundTrip, out byte timeToLive);
            if (result < 0) return result;
            var answer = new EchoReply { RoundTripMicroseconds = roundTrip, TimeToLive = timeToLive };
            return UserMemory.Write(Current.AddressSpace, reply, answer) ? 0 : -Errno.EFAULT;
        }

        public static long NetCounter(int index, UserPointer<NetworkCounter> counter)
        {
            if (index < 0 || index >= (int)DropReason.Count) return -Errno.ENOENT;
            var result = new NetworkCounter { Count = StackOf(Current).Drops((DropReason)index) };
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
            NetworkStack stack = StackOf(Current);
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
