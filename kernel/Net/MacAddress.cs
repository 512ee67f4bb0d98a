using System;

namespace Net
{
    /// <summary>
    /// An Ethernet (MAC) address, six bytes, kept in the low 48 bits of a ulong in wire order (the
    /// first byte on the wire is the most significant), so it compares and copies as one number.
    /// </summary>
    public static class MacAddress
    {
        public const ulong Broadcast = 0xFFFF_FFFF_FFFF;   // every station on the link (ARP requests go there)
        public const ulong None = 0;                       // loopback's frames carry no real address

        public static ulong Read(ReadOnlySpan<byte> bytes, int at)
        {
            ulong value = 0;
            for (int i = 0; i < 6; i++) value = value << 8 | bytes[at + i];
            return value;
        }

        public static void Write(Span<byte> bytes, int at, ulong value)
        {
            for (int i = 5; i >= 0; i--) { bytes[at + i] = (byte)value; value >>= 8; }
        }

        /// <summary>Bit 0 of the first byte: a group (multicast or broadcast) address, never a sender's.</summary>
        public static bool IsGroup(ulong value) => (value >> 40 & 1) != 0;

        public static unsafe string ToText(ulong value)
        {
            const string hex = "0123456789abcdef";
            char* text = stackalloc char[17];
            for (int i = 0; i < 6; i++)
            {
                int b = (int)(value >> (40 - 8 * i)) & 255;
                text[3 * i] = hex[b >> 4];
                text[3 * i + 1] = hex[b & 15];
                if (i < 5) text[3 * i + 2] = ':';
            }
            return new string(text, 0, 17);
        }
    }
}
