using System;

namespace Net
{
    /// <summary>
    /// The Internet checksum (RFC 1071) that IPv4, ICMP, UDP and TCP headers carry: the ones'-complement
    /// sum of the data as 16-bit big-endian words, complemented. Ones'-complement addition wraps the
    /// carry back into the low bits, so the sum does not depend on byte order or word order, and a
    /// receiver that sums the data *with* its checksum field gets 0xFFFF, whose complement is 0: that is
    /// how <see cref="IsValid"/> checks a header without taking the field out first.
    /// </summary>
    public static class InternetChecksum
    {
        /// <summary>Adds <paramref name="bytes"/> to a running 32-bit sum (an odd last byte is padded with 0).</summary>
        public static uint Add(uint sum, ReadOnlySpan<byte> bytes)
        {
            int i = 0;
            for (; i + 1 < bytes.Length; i += 2) sum += (uint)(bytes[i] << 8 | bytes[i + 1]);
            if (i < bytes.Length) sum += (uint)(bytes[i] << 8);
            return sum;
        }

        /// <summary>Folds the carries back in and complements: the value to put in the checksum field.</summary>
        public static ushort Finish(uint sum)
        {
            while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)~sum;
        }

        public static ushort Compute(ReadOnlySpan<byte> bytes) => Finish(Add(0, bytes));

        /// <summary>True if <paramref name="bytes"/>, checksum field included, sum to the all-ones word.</summary>
        public static bool IsValid(ReadOnlySpan<byte> bytes) => Compute(bytes) == 0;
    }
}
