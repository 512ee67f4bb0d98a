using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using TeachOS.Tests.Integration.Harness;
using Xunit;
using Xunit.Sdk;
using static TeachOS.Tests.Integration.Harness.EthernetFrames;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The network's bottom half (kernel/Net, kernel/Drivers/VirtioNet.cs): ping answers from QEMU's user-mode
/// gateway and from loopback, and a card on QEMU's `-netdev socket` fed malformed frames from the host,
/// which the kernel must drop and count, with no panic and no packet buffer lost, and still answer a
/// good ping afterwards.
/// </summary>
public class NetworkTests
{
    /// <summary>
    /// Network namespaces made and freed (each with a bridge, a veth pair, TCP connections still closing)
    /// give the kernel heap back to the byte: usertests netns-heap, alone in its boot, since the heap is the
    /// whole kernel's and other cases' connections would still be allocating while it counts.
    /// </summary>
    [Fact]
    public void FreedNetworkNamespacesGiveTheKernelHeapBack()
    {
        Qemu.Boot("init=/bin/usertests netns-heap", timeoutSeconds: 240, smp: "2")
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("test netns-heap: OK")
            .AssertLogDoesNotContain("KERNEL PANIC");
    }

    [Fact]
    public void PingReachesTheGatewayAndLoopback()
    {
        // 10.0.2.99 first: nobody answers ARP for it, and its echo request waits in the ARP cache until
        // ARP gives up (three questions a second apart); by the time of `net stats` it has been dropped.
        Qemu.BootWithInput("", "ping -c 1 -W 300 10.0.2.99\nping -c 3 -i 100 10.0.2.2\nping -c 3 -i 100 127.0.0.1\nnet\nsleep 3500\nnet stats\nexit 0\n", timeoutSeconds: 90)
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogMatches(@"^net: eth0 virtio-net 52:54:00:12:34:56, 10\.0\.2\.15/24, default via 10\.0\.2\.2$")
            .AssertLogMatches(@"^64 bytes from 10\.0\.2\.2: icmp_seq=3 ttl=\d+ time=\d+\.\d{3} ms$")
            .AssertLogMatches(@"^3 packets transmitted, 3 received, 0% packet loss$")
            .AssertLogMatches(@"^64 bytes from 127\.0\.0\.1: icmp_seq=3 ttl=64 time=\d+\.\d{3} ms$")
            .AssertLogMatches(@"^no reply from 10\.0\.2\.99: icmp_seq=1 \(timed out after 300 ms\)$")      // nobody answers ARP there
            .AssertLogMatches(@"^default via 10\.0\.2\.2 dev eth0$")
            .AssertLogMatches(@"^    inet 127\.0\.0\.1/8$")
            .AssertLogMatches(@"^dropped, arp unresolved: 1$")
            .AssertLogMatches(@"^packet buffers: 0 in use, ");
    }

    private static readonly byte[] HostMac = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
    private static readonly byte[] OtherMac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x99 };
    private static readonly byte[] Broadcast = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    private static readonly uint HostAddress = Address(10, 0, 2, 2), GuestAddress = Address(10, 0, 2, 15);

    [Fact]
    public void MalformedFramesAreDroppedAndCountedAndPingStillWorks()
    {
        using var host = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int hostPort = ((IPEndPoint)host.Client.LocalEndPoint!).Port;
        int guestPort = FreeUdpPort();
        var guest = new IPEndPoint(IPAddress.Loopback, guestPort);
        var arguments = new List<string>
        {
            "--headless", "--timeout", "120", "--net", "none", "--cmdline", Qemu.DefaultWords, "--",
            "-netdev", $"socket,id=net0,udp=127.0.0.1:{hostPort},localaddr=127.0.0.1:{guestPort}",
            "-device", "virtio-net-pci,netdev=net0,romfile=",
        };
        using var qemu = new RunningQemu(arguments);
        qemu.Type("echo net-ready\n");
        byte[] guestMac = ParseMac(qemu.WaitFor(@"^net: eth0 virtio-net ([0-9a-f:]{17}),", TimeSpan.FromSeconds(90)).Groups[1].Value);
        qemu.WaitFor(@"^net-ready$", TimeSpan.FromSeconds(60));

        // ARP first: the guest answers, and learns where 10.0.2.2 is (RFC 826's merge rule).
        host.Send(Ethernet(Broadcast, HostMac, TypeArp, Arp(1, HostMac, HostAddress, new byte[6], GuestAddress)), guest);
        byte[] arpReply = ReceiveMatching(host, frame => Type(frame) == TypeArp && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(20)) == 2);
        Assert.Equal(guestMac, arpReply.AsSpan(22, 6).ToArray());

        foreach (byte[] frame in HostileFrames(guestMac)) host.Send(frame, guest);
        var random = new Random(19);
        for (int i = 0; i < 300; i++)
        {
            host.Send(RandomFrame(random, guestMac), guest);
            if (i % 20 == 0) Thread.Sleep(20);         // let the guest's receive thread keep up with the socket
        }

        // A good echo request after all that: the reply must come back, its checksums right.
        byte[] data = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        host.Send(Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, 1, Icmp(8, 0, 0x1234, 7, data))), guest);
        byte[] reply = ReceiveMatching(host, frame => Type(frame) == TypeIpv4 && frame.Length >= 42 && frame[23] == 1 && frame[34] == 0
            && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(38)) == 0x1234 && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(40)) == 7);
        Assert.Equal(0, Checksum(reply.AsSpan(14, 20)));
        int icmpLength = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(16)) - 20;
        Assert.Equal(8 + data.Length, icmpLength);
        Assert.Equal(0, Checksum(reply.AsSpan(34, icmpLength)));
        Assert.Equal(data, reply.AsSpan(42, data.Length).ToArray());

        qemu.Type("net stats\nexit 0\n");
        BootResult result = qemu.Finish(TimeSpan.FromSeconds(60))
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogMatches(@"^packet buffers: 0 in use, ");
        foreach (string reason in new[]
        {
            "ethernet truncated", "ethernet not for us", "ethernet unknown type", "arp malformed", "arp unsupported operation",
            "ipv4 truncated", "ipv4 bad version", "ipv4 bad checksum", "ipv4 bad length", "ipv4 fragment", "ipv4 not for us", "ipv4 bad source",
            "ipv4 unknown protocol", "icmp truncated", "icmp bad checksum", "icmp unhandled type", "icmp unexpected reply",
        })
        {
            result.AssertLogMatches($@"net: dropped: {reason} \(1\)$");                   // the kernel's own line, the first time
            result.AssertLogMatches($@"^dropped, {reason}: [1-9]\d*$");                   // and `net stats`' count
        }
    }

    /// <summary>One frame per way of being wrong, each meant to stop at a different check.</summary>
    private static IEnumerable<byte[]> HostileFrames(byte[] guestMac)
    {
        byte[] ping = Icmp(8, 0, 1, 1, new byte[8]);
        yield return new byte[10];                                                                    // ethernet truncated
        yield return Ethernet(OtherMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, 1, ping)); // not for us
        yield return Ethernet(guestMac, HostMac, 0x86DD, new byte[40]);                               // IPv6: unknown type
        yield return Ethernet(guestMac, HostMac, TypeArp, new byte[10]);                              // arp malformed
        yield return Ethernet(guestMac, HostMac, TypeArp, Arp(7, HostMac, HostAddress, guestMac, GuestAddress)); // arp unsupported
        yield return Ethernet(guestMac, HostMac, TypeIpv4, new byte[10]);                             // ipv4 truncated
        byte[] version6 = Ipv4(HostAddress, GuestAddress, 1, ping);
        version6[0] = 0x65;
        FixIpv4Checksum(version6);
        yield return Ethernet(guestMac, HostMac, TypeIpv4, version6);                                 // bad version
        byte[] badChecksum = Ipv4(HostAddress, GuestAddress, 1, ping);
        badChecksum[10] ^= 0x55;
        yield return Ethernet(guestMac, HostMac, TypeIpv4, badChecksum);                              // bad checksum
        byte[] longHeader = Ipv4(HostAddress, GuestAddress, 1, Array.Empty<byte>());
        longHeader[0] = 0x4F;                                                                         // 60-byte header in 20 bytes (and the frame's padding)
        yield return Ethernet(guestMac, HostMac, TypeIpv4, longHeader.Concat(new byte[60]).ToArray()[..20]);
        byte[] tooLong = Ipv4(HostAddress, GuestAddress, 1, ping);
        BinaryPrimitives.WriteUInt16BigEndian(tooLong.AsSpan(2), 1000);
        FixIpv4Checksum(tooLong);
        yield return Ethernet(guestMac, HostMac, TypeIpv4, tooLong);                                  // bad length
        yield return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, 1, ping, fragment: 0x2000)); // fragment
        yield return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, Address(10, 0, 2, 99), 1, ping));          // not for us
        yield return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, 99, ping));                  // unknown protocol
        yield return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(0xFFFFFFFF, GuestAddress, 1, ping));                    // from broadcast
        yield return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, 1, new byte[4]));            // icmp truncated
        byte[] badIcmp = Icmp(8, 0, 1, 2, new byte[8]);
        badIcmp[2] ^= 0x11;
        yield return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, 1, badIcmp));                // icmp bad checksum
        yield return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, 1, Icmp(13, 0, 1, 3, new byte[12]))); // timestamp
        yield return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, 1, Icmp(0, 0, 0x4444, 9, new byte[8]))); // a reply nobody asked for
    }

    /// <summary>Random bytes behind a header that gets them past the first checks half of the time.</summary>
    private static byte[] RandomFrame(Random random, byte[] guestMac)
    {
        var payload = new byte[random.Next(0, 200)];
        random.NextBytes(payload);
        switch (random.Next(4))
        {
            case 0:
                var frame = new byte[random.Next(0, 100)];
                random.NextBytes(frame);
                return frame;
            case 1:
                return Ethernet(guestMac, HostMac, random.Next(2) == 0 ? TypeIpv4 : TypeArp, payload);
            case 2:
                return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, (byte)random.Next(256), payload));
            default:
                // A well-formed ICMP message of any type and code, with random contents.
                return Ethernet(guestMac, HostMac, TypeIpv4, Ipv4(HostAddress, GuestAddress, 1,
                    Icmp((byte)random.Next(256), (byte)random.Next(3), (ushort)random.Next(65536), (ushort)random.Next(65536), payload)));
        }
    }

    private static ushort Type(byte[] frame) => frame.Length >= 14 ? BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) : (ushort)0;

    private static byte[] ReceiveMatching(UdpClient host, Func<byte[], bool> wanted)
    {
        DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < end)
        {
            Task<UdpReceiveResult> receive = host.ReceiveAsync();
            if (!receive.Wait(end - DateTime.UtcNow)) break;
            if (wanted(receive.Result.Buffer)) return receive.Result.Buffer;
        }
        throw new XunitException("the guest never sent the expected frame");
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
