namespace Net
{
    /// <summary>
    /// Ethernet II framing (IEEE 802.3, "DIX" type field): 6 bytes destination MAC, 6 bytes source MAC,
    /// 2 bytes EtherType saying what the payload is, then the payload. The card adds the preamble and
    /// the 4-byte frame check sequence and checks them on receive, so the stack never sees them.
    /// </summary>
    public static class Ethernet
    {
        public const int HeaderBytes = 14;
        /// <summary>The shortest frame on the wire without its checksum: shorter ones are padded
        /// (a collision on old shared Ethernet had to reach every station before the frame ended).</summary>
        public const int MinimumFrame = 60;
        public const ushort TypeIpv4 = 0x0800;
        public const ushort TypeArp = 0x0806;

        /// <summary>A frame from a device (the receive thread owns <paramref name="frame"/> and hands it
        /// over): checked, its header stripped, and passed to ARP or IPv4, or dropped and counted.</summary>
        public static void Receive(PacketBuffer frame)
        {
            NetworkInterface arrivedOn = frame.ArrivedOn;
            NetworkStack stack = arrivedOn.Stack;
            System.Span<byte> header = frame.Data;
            if (header.Length < HeaderBytes) { Drop(stack, frame, DropReason.EthernetTruncated); return; }

            // A card receives every frame on its segment (QEMU's hub, a switch flooding): keep those
            // for our address and broadcasts. Loopback's frames are always ours.
            ulong destination = MacAddress.Read(header, 0);
            if (!arrivedOn.IsLoopback && destination != arrivedOn.Mac && destination != MacAddress.Broadcast)
            {
                Drop(stack, frame, DropReason.EthernetNotForUs);
                return;
            }
            ushort type = NetworkOrder.Read16(header, 12);
            frame.StripFront(HeaderBytes);
            if (type == TypeIpv4) Ipv4.Receive(frame);
            else if (type == TypeArp && !arrivedOn.IsLoopback) Arp.Receive(frame);
            else Drop(stack, frame, DropReason.EthernetUnknownType);
        }

        /// <summary>Puts the Ethernet header in front of <paramref name="payload"/> (which this takes
        /// over) and hands the frame to the interface's device.</summary>
        public static void Send(NetworkInterface through, ulong destination, ushort type, PacketBuffer payload)
        {
            System.Span<byte> header = payload.Prepend(HeaderBytes);
            if (header.IsEmpty) { PacketPool.Free(payload); return; }
            MacAddress.Write(header, 0, destination);
            MacAddress.Write(header, 6, through.Mac);
            NetworkOrder.Write16(header, 12, type);
            if (payload.Length < MinimumFrame) payload.Append(MinimumFrame - payload.Length).Clear();
            through.Transmit(payload);
        }

        /// <summary>Counts a dropped packet and frees it: the end of the way for anything malformed.</summary>
        public static void Drop(NetworkStack stack, PacketBuffer packet, DropReason reason)
        {
            stack.CountDrop(reason);
            if (packet.ArrivedOn != null) packet.ArrivedOn.ReceiveDrops++;
            PacketPool.Free(packet);
        }
    }
}
