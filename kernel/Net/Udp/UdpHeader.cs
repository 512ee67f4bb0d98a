using System;

namespace Net.Udp
{
    /// <summary>
    /// The UDP header (RFC 768): four 16-bit big-endian fields, 8 bytes.
    ///   0        2             4        6          8
    ///   | source | destination | length | checksum | data…
    /// The length covers header and data; a datagram whose length field disagrees with what IP
    /// delivered is malformed. A checksum of 0 means the sender did not compute one (allowed over
    /// IPv4); a computed checksum that comes out 0 is sent as 0xFFFF, its ones'-complement twin.
    /// </summary>
    public struct UdpHeader
    {
        public const int Length = 8;
        public ushort SourcePort, DestinationPort;
        public ushort TotalLength;
        public ushort Checksum;

        public static bool TryParse(ReadOnlySpan<byte> datagram, out UdpHeader header)
        {
            header = default;
            if (datagram.Length < Length) return false;
            header.SourcePort = (ushort)(datagram[0] << 8 | datagram[1]);
            header.DestinationPort = (ushort)(datagram[2] << 8 | datagram[3]);
            header.TotalLength = (ushort)(datagram[4] << 8 | datagram[5]);
            header.Checksum = (ushort)(datagram[6] << 8 | datagram[7]);
            return header.TotalLength >= Length && header.TotalLength <= datagram.Length;
        }

        public void Write(Span<byte> destination)
        {
            destination[0] = (byte)(SourcePort >> 8); destination[1] = (byte)SourcePort;
            destination[2] = (byte)(DestinationPort >> 8); destination[3] = (byte)DestinationPort;
            destination[4] = (byte)(TotalLength >> 8); destination[5] = (byte)TotalLength;
            destination[6] = (byte)(Checksum >> 8); destination[7] = (byte)Checksum;
        }
    }
}
