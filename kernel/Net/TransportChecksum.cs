using System;

namespace Net
{
    /// <summary>
    /// The Internet checksum (RFC 1071) as TCP and UDP use it: the ones' complement of the ones'
    /// complement sum of 16-bit words, taken over a "pseudo-header" (source and destination address,
    /// protocol, length) followed by the whole segment. The pseudo-header is never sent; it is summed so
    /// that a segment delivered to the wrong address or protocol fails its check, though IP's own
    /// checksum covers only IP's header. Ones' complement addition wraps the carry back into the low
    /// bits, so the sum does not depend on byte order or on where a word starts; and a segment whose
    /// checksum field is filled in sums to 0xFFFF, so checking is the same loop as computing.
    /// Addresses are host-order numbers: 10.0.2.15 is 0x0A00020F.
    /// </summary>
    public static class TransportChecksum
    {
        public const byte ProtocolTcp = 6;    // IANA protocol numbers, carried in the IPv4 header
        public const byte ProtocolUdp = 17;

        /// <summary>The checksum to store in the segment (its checksum field must be zero while computing).</summary>
        public static ushort Compute(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment)
        {
            uint sum = InternetChecksum.Add(PseudoHeaderSum(source, destination, protocol, segment.Length), segment);
            return InternetChecksum.Finish(sum);
        }

        /// <summary>Whether a received segment, checksum field included, is intact.</summary>
        public static bool IsValid(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment)
            => Compute(source, destination, protocol, segment) == 0;

        private static uint PseudoHeaderSum(uint source, uint destination, byte protocol, int length)
            => (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF)
               + protocol + (uint)length;
    }
}
