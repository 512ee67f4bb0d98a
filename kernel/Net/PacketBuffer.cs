using System;

namespace Net
{
    /// <summary>
    /// One packet on its way through the stack: a fixed 2 KiB array, of which the bytes from
    /// <see cref="Start"/> for <see cref="Length"/> are the packet. Going down, each layer puts its header
    /// in front (<see cref="Prepend"/>) into the headroom left free for that; going up, each layer checks
    /// its header and steps past it (<see cref="StripFront"/>). No layer copies the payload.
    ///
    /// **Ownership rule.** A buffer has exactly one owner at a time. Whoever takes one from
    /// <see cref="PacketPool.Allocate"/> owns it; passing it to a function that takes a PacketBuffer
    /// (Ipv4.Send, Ethernet.Send, a protocol's Receive, ...) hands it over: the callee owns it now and
    /// must either pass it on or give it back with <see cref="PacketPool.Free"/>, on every path, the
    /// drops included; the caller must not touch it again. So the last layer to hold a packet frees it:
    /// the driver's transmit path after copying it to the card, the protocol that consumed it, or the
    /// check that dropped it. PacketPool counts buffers in use, so a leak shows as a number that does
    /// not come back to zero (the tests read it before and after).
    /// </summary>
    public sealed class PacketBuffer
    {
        public const int Capacity = 2048;
        /// <summary>Room kept in front of a new packet for the headers the layers below will add
        /// (Ethernet 14 + IPv4 60 + TCP 60 at most).</summary>
        public const int Headroom = 160;

        private readonly byte[] _bytes = new byte[Capacity];
        public int Start { get; private set; }
        public int Length { get; private set; }

        /// <summary>Where a received packet came in (set by the receive thread; null for one being built).</summary>
        public NetworkInterface ArrivedOn;
        /// <summary>Set while in use, so that a second Free is caught instead of corrupting the pool.</summary>
        internal bool InUse;
        internal PacketBuffer NextFree;
        /// <summary>The next buffer in a queue that is not the pool's: the virtual wire's (VirtualWire.cs), or a list to free.</summary>
        internal PacketBuffer NextQueued;

        public Span<byte> Data => new Span<byte>(_bytes, Start, Length);

        /// <summary>Empties the buffer, with the headroom in front (PacketPool.Allocate does it).</summary>
        internal void Reset()
        {
            Start = Headroom;
            Length = 0;
            ArrivedOn = null;
            NextQueued = null;
        }

        /// <summary>Makes room for <paramref name="bytes"/> more at the end and returns them (a payload being written).</summary>
        public Span<byte> Append(int bytes)
        {
            if (bytes < 0 || Start + Length + bytes > Capacity) return Span<byte>.Empty;
            Length += bytes;
            return new Span<byte>(_bytes, Start + Length - bytes, bytes);
        }

        /// <summary>Claims <paramref name="bytes"/> of headroom for a header and returns them; empty if
        /// the headroom is used up (a caller bug, which the caller reports by dropping the packet).</summary>
        public Span<byte> Prepend(int bytes)
        {
            if (bytes < 0 || bytes > Start) return Span<byte>.Empty;
            Start -= bytes;
            Length += bytes;
            return new Span<byte>(_bytes, Start, bytes);
        }

        /// <summary>Steps past a header that has been checked: the packet now starts after it.</summary>
        public void StripFront(int bytes)
        {
            if (bytes < 0 || bytes > Length) bytes = Length;
            Start += bytes;
            Length -= bytes;
        }

        /// <summary>Cuts the packet to its first <paramref name="length"/> bytes (Ethernet pads short
        /// frames to 60 bytes; IPv4's total length says where the datagram really ends).</summary>
        public void Truncate(int length)
        {
            if (length >= 0 && length < Length) Length = length;
        }
    }
}
