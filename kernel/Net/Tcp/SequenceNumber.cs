namespace Net.Tcp
{
    /// <summary>
    /// TCP numbers every byte it sends with a 32-bit sequence number that wraps around (RFC 793, section
    /// 3.3). Two numbers are compared by the sign of their difference, not by their size: 0x00000010 comes
    /// after 0xFFFFFFF0 because it is 0x20 further on. This works as long as no two numbers compared are
    /// more than 2^31 apart, which the windows (at most 65535 bytes here) guarantee.
    /// </summary>
    public static class SequenceNumber
    {
        public static bool LessThan(uint a, uint b) => (int)(a - b) < 0;
        public static bool LessOrEqual(uint a, uint b) => (int)(a - b) <= 0;
        public static bool GreaterThan(uint a, uint b) => (int)(a - b) > 0;
        public static bool GreaterOrEqual(uint a, uint b) => (int)(a - b) >= 0;

        /// <summary>Whether start &lt;= value &lt; start + size, counted around the wrap.</summary>
        public static bool InWindow(uint value, uint start, uint size) => value - start < size;
    }
}
