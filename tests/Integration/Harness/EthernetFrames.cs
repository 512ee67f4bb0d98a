using System.Buffers.Binary;

namespace TeachOS.Tests.Integration.Harness;

/// <summary>
/// Builds Ethernet frames on the host, good and broken on purpose, for tests that talk to the guest's
/// card through QEMU's `-netdev socket` (each UDP datagram is one frame). Field layouts as in
/// kernel/Net: Ethernet.cs, Arp.cs, Ipv4.cs, Icmp.cs.
/// </summary>
public static class EthernetFrames
{
    public const ushort TypeIpv4 = 0x0800, TypeArp = 0x0806;

    public static byte[] Ethernet(byte[] destination, byte[] source, ushort type, byte[] payload)
    {
        var frame = new byte[14 + payload.Length];
        destination.CopyTo(frame, 0);
        source.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), type);
        payload.CopyTo(frame, 14);
        return frame;
    }

    public static byte[] Arp(ushort operation, byte[] senderMac, uint senderAddress, byte[] targetMac, uint targetAddress)
    {
        var arp = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(0), 1);
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(2), TypeIpv4);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(6), operation);
        senderMac.CopyTo(arp, 8);
        BinaryPrimitives.WriteUInt32BigEndian(arp.AsSpan(14), senderAddress);
        targetMac.CopyTo(arp, 18);
        BinaryPrimitives.WriteUInt32BigEndian(arp.AsSpan(24), targetAddress);
        return arp;
    }

    /// <summary>An IPv4 datagram with a correct header checksum (callers break fields afterwards, then call <see cref="FixIpv4Checksum"/> or not).</summary>
    public static byte[] Ipv4(uint source, uint destination, byte protocol, byte[] payload, ushort fragment = 0x4000)
    {
        var datagram = new byte[20 + payload.Length];
        datagram[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)datagram.Length);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), 0x4242);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(6), fragment);
        datagram[8] = 64;
        datagram[9] = protocol;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(12), source);
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(16), destination);
        payload.CopyTo(datagram, 20);
        FixIpv4Checksum(datagram);
        return datagram;
    }

    public static void FixIpv4Checksum(byte[] datagram)
    {
        int headerLength = Math.Min((datagram[0] & 15) * 4, datagram.Length);
        datagram[10] = datagram[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(10), Checksum(datagram.AsSpan(0, headerLength)));
    }

    public static byte[] Icmp(byte type, byte code, ushort identifier, ushort sequence, byte[] data)
    {
        var message = new byte[8 + data.Length];
        message[0] = type;
        message[1] = code;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), sequence);
        data.CopyTo(message, 8);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), Checksum(message));
        return message;
    }

    /// <summary>The Internet checksum (RFC 1071), as kernel/Net/InternetChecksum.cs computes it.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> bytes)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < bytes.Length; i += 2) sum += (uint)(bytes[i] << 8 | bytes[i + 1]);
        if (i < bytes.Length) sum += (uint)(bytes[i] << 8);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    public static uint Address(int a, int b, int c, int d) => (uint)(a << 24 | b << 16 | c << 8 | d);

    public static byte[] ParseMac(string text) => text.Split(':').Select(part => Convert.ToByte(part, 16)).ToArray();
}
