using System;

namespace Net
{
    /// <summary>
    /// Reading and writing numbers in network byte order (big-endian: the most significant byte first,
    /// RFC 1700), which every header on the wire uses, while x86 keeps them little-endian in memory.
    /// Every header is parsed and built through these, byte by byte: a header may start at any offset,
    /// and reading a field is then the same on every CPU.
    /// </summary>
    public static class NetworkOrder
    {
        public static ushort Read16(ReadOnlySpan<byte> bytes, int at) => (ushort)(bytes[at] << 8 | bytes[at + 1]);

        public static uint Read32(ReadOnlySpan<byte> bytes, int at) =>
            (uint)bytes[at] << 24 | (uint)bytes[at + 1] << 16 | (uint)bytes[at + 2] << 8 | bytes[at + 3];

        public static void Write16(Span<byte> bytes, int at, ushort value)
        {
            bytes[at] = (byte)(value >> 8);
            bytes[at + 1] = (byte)value;
        }

        public static void Write32(Span<byte> bytes, int at, uint value)
        {
            bytes[at] = (byte)(value >> 24);
            bytes[at + 1] = (byte)(value >> 16);
            bytes[at + 2] = (byte)(value >> 8);
            bytes[at + 3] = (byte)value;
        }
    }
}
