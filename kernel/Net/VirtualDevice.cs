using System;
using Drivers;

namespace Net
{
    /// <summary>
    /// A "card" with no hardware behind it: a frame transmitted on it is copied into a packet buffer and
    /// put on the virtual wire (VirtualWire.cs) for <see cref="Peer"/>, which receives it as a card's
    /// receive thread would. Two of them, each the other's peer, are a veth pair: a cable between two
    /// network stacks (namespaces). One whose peer is itself is the loopback of a network namespace.
    /// It never interrupts and has no ring: <see cref="Receive"/> and <see cref="WaitForFrames"/> are not
    /// used (no receive thread is started for it).
    /// </summary>
    public sealed class VirtualDevice : NetworkDevice
    {
        // Locally administered, unicast (the second-lowest bit of the first byte set, the lowest clear),
        // "TO" for TeachOS, then a counter: no two virtual interfaces of one machine share a MAC.
        private const ulong MacPrefix = 0x02_54_4F_00_00_00;
        private static uint s_made;
        private static Sync.SpinLock s_madeLock;

        private readonly string _kind;
        private readonly ulong _mac;

        /// <summary>Where a transmitted frame arrives: the other end of the pair, or this device's own
        /// interface for a loopback. Null until the interface exists, and after it is deleted.</summary>
        public volatile NetworkInterface Peer;

        public VirtualDevice(string kind, bool withMac)
        {
            _kind = kind;
            _mac = withMac ? NextMac() : 0;
        }

        public override string Name => _kind;

        public override void ReadMacAddress(Span<byte> into) => MacAddress.Write(into, 0, _mac);

        /// <summary>A made-up MAC for a virtual interface (a bridge's).</summary>
        public static ulong NextMac()
        {
            bool flags = s_madeLock.Acquire();
            uint made = ++s_made;
            s_madeLock.Release(flags);
            return MacPrefix | (made & 0xFFFFFF);
        }

        public override bool Transmit(ReadOnlySpan<byte> frame)
        {
            if (Peer == null || frame.Length > MaximumFrame) return false;
            PacketBuffer copy = PacketPool.Allocate();
            if (copy == null) { TransmitRingFull++; return false; }
            frame.CopyTo(copy.Append(frame.Length));
            // Peer is read again by the wire, under its lock: the other end may be leaving (and be freed) meanwhile.
            if (!VirtualWire.Deliver(this, copy)) { TransmitRingFull++; return false; }
            FramesTransmitted++;
            return true;
        }

        public override int Receive(Span<byte> into) => 0;

        [TeachOS.Boundary.MayBlock]
        public override void WaitForFrames() { }
    }
}
