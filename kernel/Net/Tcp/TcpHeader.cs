using System;

namespace Net.Tcp
{
    /// <summary>
    /// The TCP header (RFC 793, section 3.1), as a value read from or written to the bytes of a segment.
    /// All multi-byte fields are big-endian ("network order").
    ///
    ///   0      2      4              8              12   13    14     16        18       20
    ///   | src  | dst  |   sequence   |  acknowledg. | off|flags|window|checksum | urgent | options…
    ///
    /// The data offset (high 4 bits of byte 12) counts the header in 32-bit words, options included; the
    /// only option TeachOS reads or writes is the maximum segment size (kind 2, length 4), which a SYN
    /// carries to say how large a segment its sender can take. Parsing is total: any byte string either
    /// gives a header whose offset lies inside the segment or is refused, never read past its end.
    /// </summary>
    public struct TcpHeader
    {
        public const int MinimumLength = 20;
        public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20;
        private const byte OptionEnd = 0, OptionNoOperation = 1, OptionMaximumSegmentSize = 2;

        public ushort SourcePort, DestinationPort;
        public uint Sequence, Acknowledgment;
        public byte Flags;
        public ushort Window;
        public int HeaderLength;             // bytes, options included
        public ushort MaximumSegmentSize;    // from the option; 0 when the segment has none

        public bool Has(byte flag) => (Flags & flag) != 0;

        public static bool TryParse(ReadOnlySpan<byte> segment, out TcpHeader header)
        {
            header = default;
            if (segment.Length < MinimumLength) return false;
            int headerLength = (segment[12] >> 4) * 4;
            if (headerLength < MinimumLength || headerLength > segment.Length) return false;
            header.SourcePort = ReadUInt16(segment, 0);
            header.DestinationPort = ReadUInt16(segment, 2);
            header.Sequence = ReadUInt32(segment, 4);
            header.Acknowledgment = ReadUInt32(segment, 8);
            header.Flags = (byte)(segment[13] & 0x3F);
            header.Window = ReadUInt16(segment, 14);
            header.HeaderLength = headerLength;
            header.MaximumSegmentSize = FindMaximumSegmentSize(segment.Slice(MinimumLength, headerLength - MinimumLength));
            return true;
        }

        /// <summary>Option bytes are kind, length, value; kinds 0 and 1 are a single byte. A malformed list ends the walk.</summary>
        private static ushort FindMaximumSegmentSize(ReadOnlySpan<byte> options)
        {
            int i = 0;
            while (i < options.Length)
            {
                byte kind = options[i];
                if (kind == OptionEnd) break;
                if (kind == OptionNoOperation) { i++; continue; }
                if (i + 1 >= options.Length) break;
                int length = options[i + 1];
                if (length < 2 || i + length > options.Length) break;
                if (kind == OptionMaximumSegmentSize && length == 4) return ReadUInt16(options, i + 2);
                i += length;
            }
            return 0;
        }

        /// <summary>The header's length when written: 20 bytes, 24 with the segment-size option.</summary>
        public int WrittenLength => MaximumSegmentSize != 0 ? MinimumLength + 4 : MinimumLength;

        /// <summary>Writes the header with a zero checksum and returns its length; the caller fills in the checksum.</summary>
        public int Write(Span<byte> destination)
        {
            int length = WrittenLength;
            WriteUInt16(destination, 0, SourcePort);
            WriteUInt16(destination, 2, DestinationPort);
            WriteUInt32(destination, 4, Sequence);
            WriteUInt32(destination, 8, Acknowledgment);
            destination[12] = (byte)((length / 4) << 4);
            destination[13] = Flags;
            WriteUInt16(destination, 14, Window);
            WriteUInt16(destination, 16, 0);     // checksum, computed over the whole segment afterwards
            WriteUInt16(destination, 18, 0);     // urgent pointer: TeachOS sends no urgent data
            if (MaximumSegmentSize != 0)
            {
                destination[20] = OptionMaximumSegmentSize;
                destination[21] = 4;
                WriteUInt16(destination, 22, MaximumSegmentSize);
            }
            return length;
        }

        public static void StoreChecksum(Span<byte> segment, ushort checksum) => WriteUInt16(segment, 16, checksum);

        internal static ushort ReadUInt16(ReadOnlySpan<byte> b, int at) => (ushort)(b[at] << 8 | b[at + 1]);
        internal static uint ReadUInt32(ReadOnlySpan<byte> b, int at)
            => (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);
        internal static void WriteUInt16(Span<byte> b, int at, ushort value) { b[at] = (byte)(value >> 8); b[at + 1] = (byte)value; }
        internal static void WriteUInt32(Span<byte> b, int at, uint value)
        {
            b[at] = (byte)(value >> 24); b[at + 1] = (byte)(value >> 16); b[at + 2] = (byte)(value >> 8); b[at + 3] = (byte)value;
        }
    }
}
