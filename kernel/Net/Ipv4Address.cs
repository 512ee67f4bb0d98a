namespace Net
{
    /// <summary>
    /// An IPv4 address, kept as a 32-bit number in host order (10.0.2.15 is 0x0A00020F), so that
    /// masking with a prefix and comparing are plain integer operations; NetworkOrder writes it to the
    /// wire most significant byte first. The same number crosses the system-call boundary.
    /// </summary>
    public static class Ipv4Address
    {
        public const uint Any = 0;                      // 0.0.0.0: "no address yet", or "every destination" in a route
        public const uint Broadcast = 0xFFFFFFFF;       // 255.255.255.255: everyone on this link
        public const uint Loopback = 0x7F000001;        // 127.0.0.1

        public static uint Make(int a, int b, int c, int d) => (uint)(a << 24 | b << 16 | c << 8 | d);

        /// <summary>The mask of a prefix length: /24 is 255.255.255.0. /0 is 0 (a shift by 32 would do nothing in C#).</summary>
        public static uint Mask(int prefixLength) => prefixLength <= 0 ? 0 : 0xFFFFFFFFu << (32 - prefixLength);

        public static bool SameNetwork(uint a, uint b, int prefixLength) => ((a ^ b) & Mask(prefixLength)) == 0;

        /// <summary>Multicast (224.0.0.0/4) and limited broadcast: never a host, never a ping's source.</summary>
        public static bool IsMulticastOrBroadcast(uint address) => (address >> 28) == 0xE || address == Broadcast;

        /// <summary>Dotted-quad text, "10.0.2.15" (a new string: for messages at boot).</summary>
        public static unsafe string ToText(uint address)
        {
            char* text = stackalloc char[15];
            int length = 0;
            for (int part = 3; part >= 0; part--)
            {
                int value = (int)(address >> (8 * part)) & 255;
                if (value >= 100) text[length++] = (char)('0' + value / 100);
                if (value >= 10) text[length++] = (char)('0' + value / 10 % 10);
                text[length++] = (char)('0' + value % 10);
                if (part > 0) text[length++] = '.';
            }
            return new string(text, 0, length);
        }
    }
}
