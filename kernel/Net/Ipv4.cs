using System;
using Abi;

namespace Net
{
    /// <summary>
    /// IPv4 (RFC 791): the layer that gets a datagram from any host to any other, hop by hop. Its
    /// 20-byte header (no options sent; options received are skipped):
    ///
    ///     0 version 4, header length in words   1 type of service   2 total length
    ///     4 identification   6 flags (DF, MF), fragment offset   8 time to live   9 protocol
    ///     10 header checksum   12 source address   16 destination address
    ///
    /// Receive checks every field a hostile sender could get wrong, then hands the payload to the
    /// protocol registered for its number (IpProtocol.cs). Send finds the route, fills the header and
    /// gives the datagram to ARP for the next hop (or straight to loopback). TeachOS is a host, not a
    /// router: it does not forward datagrams for others, and does not reassemble fragments (it sets
    /// Don't Fragment on what it sends, and its datagrams fit one Ethernet frame).
    /// </summary>
    public static class Ipv4
    {
        public const int HeaderBytes = 20;
        public const byte DefaultTimeToLive = 64;
        /// <summary>The largest payload one Ethernet frame carries after the IPv4 header.</summary>
        public const int MaximumPayload = 1500 - HeaderBytes;
        private const ushort FlagDontFragment = 0x4000, FlagMoreFragments = 0x2000, FragmentOffsetMask = 0x1FFF;

        /// <summary>A datagram (Ethernet header stripped), owned from here on.</summary>
        public static void Receive(PacketBuffer packet)
        {
            NetworkInterface arrivedOn = packet.ArrivedOn;
            NetworkStack stack = arrivedOn.Stack;
            Span<byte> header = packet.Data;
            if (header.Length < HeaderBytes) { Ethernet.Drop(stack, packet, DropReason.Ipv4Truncated); return; }
            if (header[0] >> 4 != 4) { Ethernet.Drop(stack, packet, DropReason.Ipv4BadVersion); return; }
            int headerLength = (header[0] & 15) * 4;
            if (headerLength < HeaderBytes || headerLength > header.Length) { Ethernet.Drop(stack, packet, DropReason.Ipv4Truncated); return; }
            if (!InternetChecksum.IsValid(header.Slice(0, headerLength))) { Ethernet.Drop(stack, packet, DropReason.Ipv4BadChecksum); return; }
            int totalLength = NetworkOrder.Read16(header, 2);
            if (totalLength < headerLength || totalLength > header.Length) { Ethernet.Drop(stack, packet, DropReason.Ipv4BadLength); return; }
            ushort fragment = NetworkOrder.Read16(header, 6);
            if ((fragment & (FlagMoreFragments | FragmentOffsetMask)) != 0) { Ethernet.Drop(stack, packet, DropReason.Ipv4Fragment); return; }

            uint source = NetworkOrder.Read32(header, 12);
            uint destination = NetworkOrder.Read32(header, 16);
            byte protocol = header[9];
            byte timeToLive = header[8];
            if (!IsForUs(arrivedOn, destination)) { Ethernet.Drop(stack, packet, DropReason.Ipv4NotForUs); return; }
            // RFC 1122, 3.2.1.3: a source no host can have would turn any answer into a broadcast.
            if (Ipv4Address.IsMulticastOrBroadcast(source) || (arrivedOn.Address != Ipv4Address.Any && source == arrivedOn.SubnetBroadcast))
            {
                Ethernet.Drop(stack, packet, DropReason.Ipv4BadSource);
                return;
            }
            IpProtocol handler = IpProtocols.For(protocol);
            if (handler == null) { Ethernet.Drop(stack, packet, DropReason.Ipv4UnknownProtocol); return; }

            // Ethernet pads short frames: the total length, not the frame, says where the datagram ends.
            packet.Truncate(totalLength);
            packet.StripFront(headerLength);
            handler.Receive(new Ipv4Datagram(source, destination, protocol, timeToLive, arrivedOn), packet);
        }

        // Ours: an address of this stack (on any interface, as Linux's "weak host" model has it),
        // loopback's whole 127/8, or a broadcast on the interface it came in on.
        private static bool IsForUs(NetworkInterface arrivedOn, uint destination)
        {
            if (destination == Ipv4Address.Broadcast) return true;
            if (arrivedOn.IsLoopback && destination >> 24 == 127) return true;
            NetworkStack stack = arrivedOn.Stack;
            bool flags = stack.Lock.Acquire();
            bool ours = stack.IsLocalAddressLocked(destination)
                || (arrivedOn.Address != Ipv4Address.Any && destination == arrivedOn.SubnetBroadcast);
            stack.Lock.Release(flags);
            return ours;
        }

        /// <summary>Where a datagram to <paramref name="destination"/> leaves: the interface, the next
        /// hop (the destination itself, or a gateway) and the source address to put on it. Our own
        /// addresses and 127/8 go through loopback. False if there is no route.</summary>
        public static bool Route(NetworkStack stack, uint destination, out NetworkInterface through, out uint nextHop, out uint source) =>
            Route(stack, destination, hold: false, out through, out nextHop, out source);

        // With hold: the interface found is held (NetworkStack.LetGo it), for a sender that uses it after the lock.
        private static bool Route(NetworkStack stack, uint destination, bool hold, out NetworkInterface through, out uint nextHop, out uint source)
        {
            bool flags = stack.Lock.Acquire();
            bool found = true;
            if (destination >> 24 == 127 || stack.IsLocalAddressLocked(destination))
            {
                through = stack.Loopback;
                nextHop = destination;
                source = destination;              // talking to ourselves: from the address we talk to
                found = through != null;
            }
            else if (stack.Routes.Lookup(destination, out RoutingTable.Route route))
            {
                through = route.Interface;
                nextHop = route.Gateway != Ipv4Address.Any ? route.Gateway : destination;
                source = route.Interface.Address;
            }
            else
            {
                through = null;
                nextHop = source = 0;
                found = false;
            }
            if (found && hold) NetworkStack.HoldLocked(through);
            stack.Lock.Release(flags);
            return found;
        }

        /// <summary>
        /// Sends <paramref name="payload"/> (taken over) to <paramref name="destination"/> as protocol
        /// <paramref name="protocol"/>. <paramref name="source"/> 0 means "the outgoing interface's
        /// address". 0, or -ENETUNREACH when no route leads there, -EINVAL for a payload too big for one
        /// frame. "Sent" means handed to ARP: the datagram can still be lost on the way, as on any network.
        /// </summary>
        public static int Send(NetworkStack stack, uint source, uint destination, byte protocol, PacketBuffer payload)
        {
            payload.ArrivedOn = null;              // a received buffer may be reused for an answer
            if (payload.Length > MaximumPayload) { PacketPool.Free(payload); return -Errno.EINVAL; }
            // The interface is held while the datagram is on its way out: a `net link del` meanwhile
            // retires it, and the last holder frees it (NetworkInterface.Holds).
            if (!Route(stack, destination, hold: true, out NetworkInterface through, out uint nextHop, out uint routeSource))
            {
                stack.CountDrop(DropReason.Ipv4NoRoute);
                PacketPool.Free(payload);
                return -Errno.ENETUNREACH;
            }
            if (source == Ipv4Address.Any) source = routeSource;

            int totalLength = payload.Length + HeaderBytes;
            Span<byte> header = payload.Prepend(HeaderBytes);
            if (header.IsEmpty) { PacketPool.Free(payload); stack.LetGo(through); return -Errno.EINVAL; }
            header[0] = 0x45;                                   // version 4, 5 words of header
            header[1] = 0;
            NetworkOrder.Write16(header, 2, (ushort)totalLength);
            NetworkOrder.Write16(header, 4, stack.NextDatagramId());
            NetworkOrder.Write16(header, 6, FlagDontFragment);
            header[8] = DefaultTimeToLive;
            header[9] = protocol;
            NetworkOrder.Write16(header, 10, 0);
            NetworkOrder.Write32(header, 12, source);
            NetworkOrder.Write32(header, 16, destination);
            NetworkOrder.Write16(header, 10, InternetChecksum.Compute(header));

            if (through.IsLoopback) Ethernet.Send(through, MacAddress.None, Ethernet.TypeIpv4, payload);
            else if (destination == Ipv4Address.Broadcast || destination == through.SubnetBroadcast)
                Ethernet.Send(through, MacAddress.Broadcast, Ethernet.TypeIpv4, payload);
            else Arp.SendTo(through, nextHop, payload);
            stack.LetGo(through);
            return 0;
        }

        /// <summary>The start of the checksum UDP and TCP compute over a "pseudo-header" (RFC 768, RFC 793):
        /// both addresses, the protocol and the segment's length, so a datagram delivered to the wrong
        /// host or protocol fails its checksum. Add the segment with InternetChecksum.Add, then Finish.</summary>
        public static uint PseudoHeaderSum(uint source, uint destination, byte protocol, int length) =>
            (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF) + protocol + (uint)length;
    }
}
