using System;

namespace Net
{
    /// <summary>
    /// The Address Resolution Protocol (RFC 826): how a host finds the MAC address of a neighbour it
    /// knows only by IPv4 address. It broadcasts "who has 10.0.2.2? tell 10.0.2.15"; the owner answers
    /// to the asker alone, and both sides remember the pair (ArpCache.cs). An ARP packet for Ethernet
    /// and IPv4 is 28 bytes:
    ///
    ///     0 hardware type (1: Ethernet)   2 protocol type (0x0800: IPv4)   4 sizes (6, 4)   6 operation
    ///     8 sender MAC   14 sender IPv4   18 target MAC   24 target IPv4
    /// </summary>
    public static class Arp
    {
        public const int PacketBytes = 28;
        private const ushort HardwareEthernet = 1;
        private const ushort OperationRequest = 1, OperationReply = 2;

        /// <summary>An ARP packet (Ethernet header stripped), owned from here on.</summary>
        public static void Receive(PacketBuffer packet)
        {
            NetworkInterface arrivedOn = packet.ArrivedOn;
            NetworkStack stack = arrivedOn.Stack;
            Span<byte> arp = packet.Data;
            if (arp.Length < PacketBytes || NetworkOrder.Read16(arp, 0) != HardwareEthernet
                || NetworkOrder.Read16(arp, 2) != Ethernet.TypeIpv4 || arp[4] != 6 || arp[5] != 4)
            {
                Ethernet.Drop(stack, packet, DropReason.ArpMalformed);
                return;
            }
            ushort operation = NetworkOrder.Read16(arp, 6);
            ulong senderMac = MacAddress.Read(arp, 8);
            uint senderAddress = NetworkOrder.Read32(arp, 14);
            uint targetAddress = NetworkOrder.Read32(arp, 24);
            // A sender claiming a group MAC address or a broadcast IPv4 address would poison the cache.
            if (MacAddress.IsGroup(senderMac) || senderAddress == Ipv4Address.Any || Ipv4Address.IsMulticastOrBroadcast(senderAddress))
            {
                Ethernet.Drop(stack, packet, DropReason.ArpMalformed);
                return;
            }
            if (operation != OperationRequest && operation != OperationReply)
            {
                Ethernet.Drop(stack, packet, DropReason.ArpUnsupported);
                return;
            }

            bool flags = stack.Lock.Acquire();
            bool forUs = arrivedOn.Address != Ipv4Address.Any && targetAddress == arrivedOn.Address;
            PacketBuffer waiting = stack.Arp.LearnLocked(arrivedOn, senderAddress, senderMac, forUs, out PacketBuffer evicted);
            uint ourAddress = arrivedOn.Address;
            stack.Lock.Release(flags);

            if (evicted != null) Ethernet.Drop(stack, evicted, DropReason.ArpUnresolved);
            if (waiting != null) Ethernet.Send(arrivedOn, senderMac, Ethernet.TypeIpv4, waiting);

            if (operation == OperationRequest && forUs)
            {
                // Answer in the same buffer: swap the roles, fill in our MAC, send it to the asker alone.
                packet.Truncate(PacketBytes);
                NetworkOrder.Write16(arp, 6, OperationReply);
                MacAddress.Write(arp, 18, senderMac);
                NetworkOrder.Write32(arp, 24, senderAddress);
                MacAddress.Write(arp, 8, arrivedOn.Mac);
                NetworkOrder.Write32(arp, 14, ourAddress);
                Ethernet.Send(arrivedOn, senderMac, Ethernet.TypeArp, packet);
                return;
            }
            PacketPool.Free(packet);
        }

        /// <summary>Broadcasts "who has <paramref name="address"/>?" on <paramref name="through"/>.</summary>
        public static void SendRequest(NetworkInterface through, uint address)
        {
            PacketBuffer packet = PacketPool.Allocate();
            if (packet == null) { through.Stack.CountDrop(DropReason.NoBuffer); return; }
            Span<byte> arp = packet.Append(PacketBytes);
            NetworkOrder.Write16(arp, 0, HardwareEthernet);
            NetworkOrder.Write16(arp, 2, Ethernet.TypeIpv4);
            arp[4] = 6;
            arp[5] = 4;
            NetworkOrder.Write16(arp, 6, OperationRequest);
            MacAddress.Write(arp, 8, through.Mac);
            NetworkOrder.Write32(arp, 14, through.Address);
            MacAddress.Write(arp, 18, 0);                  // unknown: that is the question
            NetworkOrder.Write32(arp, 24, address);
            Ethernet.Send(through, MacAddress.Broadcast, Ethernet.TypeArp, packet);
        }

        /// <summary>
        /// Sends an IPv4 datagram (taken over) to the neighbour <paramref name="nextHop"/>: at once if its
        /// MAC address is known, else after asking (the datagram waits in the cache, the timer asks again).
        /// </summary>
        public static void SendTo(NetworkInterface through, uint nextHop, PacketBuffer datagram)
        {
            NetworkStack stack = through.Stack;
            bool flags = stack.Lock.Acquire();
            if (through.Removed)
            {
                // Left its stack since the route was found: no row may name it (it will be freed).
                stack.Lock.Release(flags);
                Ethernet.Drop(stack, datagram, DropReason.Ipv4NoRoute);
                return;
            }
            if (stack.Arp.TryLookupLocked(through, nextHop, out ulong mac))
            {
                stack.Lock.Release(flags);
                Ethernet.Send(through, mac, Ethernet.TypeIpv4, datagram);
                return;
            }
            bool askNow = stack.Arp.QueueLocked(through, nextHop, datagram, out PacketBuffer dropped);
            stack.Lock.Release(flags);
            if (dropped != null) Ethernet.Drop(stack, dropped, DropReason.ArpUnresolved);
            if (askNow) SendRequest(through, nextHop);
            NetworkTimer.Kick();                           // to ask again, and give up in the end
        }

        /// <summary>The timer's part: asks again for neighbours still unknown, gives up on those asked
        /// enough. True while some are still being resolved.</summary>
        public static bool Retry(NetworkStack stack)
        {
            while (true)
            {
                bool flags = stack.Lock.Acquire();
                int row = stack.Arp.NextOverdueLocked(out PacketBuffer expired, out NetworkInterface through, out uint address);
                bool more = stack.Arp.AnyResolvingLocked();
                if (row >= 0 && expired == null) NetworkStack.HoldLocked(through);    // asked through after the lock
                stack.Lock.Release(flags);
                if (row < 0) return more;
                if (expired != null) Ethernet.Drop(stack, expired, DropReason.ArpUnresolved);
                else
                {
                    SendRequest(through, address);
                    stack.LetGo(through);
                }
            }
        }
    }
}
