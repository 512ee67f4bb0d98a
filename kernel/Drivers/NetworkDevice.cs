using System;

namespace Drivers
{
    /// <summary>
    /// What the network stack (kernel/Net) needs of a network card: send one Ethernet frame, take the
    /// next one received, and sleep until there may be one. The stack is a layer above the drivers, so
    /// the device never calls up: a receive thread of the stack asks it for frames (Net/ReceiveThread.cs),
    /// which also keeps the protocols out of interrupt context. Frames travel as plain byte spans,
    /// without the 4-byte Ethernet checksum (the card adds and checks it).
    /// </summary>
    public abstract class NetworkDevice
    {
        /// <summary>Largest frame a device carries: 14-byte Ethernet header + 1500 bytes of payload.</summary>
        public const int MaximumFrame = 1514;

        public abstract string Name { get; }

        /// <summary>The card's Ethernet (MAC) address, 6 bytes, in the order they go on the wire.</summary>
        public abstract void ReadMacAddress(Span<byte> into);

        /// <summary>Queues <paramref name="frame"/> for sending (copied: the caller keeps its buffer).
        /// False if the device's transmit ring is full: the frame is dropped, as a switch would.</summary>
        public abstract bool Transmit(ReadOnlySpan<byte> frame);

        /// <summary>Copies the next received frame into <paramref name="into"/> and returns its length,
        /// or 0 when none is waiting. Never blocks.</summary>
        public abstract int Receive(Span<byte> into);

        /// <summary>Sleeps until a frame may be waiting (the receive interrupt came), or returns at once
        /// if one already is. A spurious return is allowed: the caller calls <see cref="Receive"/> again.</summary>
        [TeachOS.Boundary.MayBlock]
        public abstract void WaitForFrames();

        /// <summary>Frames the device received but threw away (longer than any Ethernet frame, or shorter
        /// than the device's own header); frames sent; frames not sent because the transmit ring was full.</summary>
        public ulong ReceiveErrors;
        public ulong FramesTransmitted;
        public ulong TransmitRingFull;
    }
}
