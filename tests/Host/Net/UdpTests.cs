using Net;
using Net.Udp;
using Xunit;

namespace TeachOS.Tests.Host.Net
{
    /// <summary>UDP: ports, datagrams with their boundaries, the checksum, a bounded queue.</summary>
    public class UdpTests
    {
        private const uint A = 0x0A000001, B = 0x0A000002;

        /// <summary>Delivers every datagram at once to the layer that owns the destination.</summary>
        private sealed class Wire : TransportOutput
        {
            public readonly Dictionary<uint, UdpLayer> Hosts = new();
            public readonly List<byte[]> Sent = new();
            public override long NowMilliseconds => 0;
            public override void Send(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment)
            {
                Sent.Add(segment.ToArray());
                if (Hosts.TryGetValue(destination, out UdpLayer host)) host.Receive(source, destination, segment.ToArray());
            }
        }

        private static (Wire, UdpLayer, UdpLayer) TwoHosts()
        {
            var wire = new Wire();
            wire.Hosts[A] = new UdpLayer(wire);
            wire.Hosts[B] = new UdpLayer(wire);
            return (wire, wire.Hosts[A], wire.Hosts[B]);
        }

        [Fact]
        public void ADatagramArrivesWithItsSenderAndItsBoundaries()
        {
            var (_, a, b) = TwoHosts();
            UdpEndpoint client = a.Bind(0, 0, out int error);
            Assert.Equal(0, error);
            Assert.InRange(client.LocalPort, PortTable.FirstEphemeral, PortTable.LastEphemeral);
            UdpEndpoint server = b.Bind(0, 7, out error);
            Assert.Equal(5, a.Send(client, A, B, 7, "hello"u8));
            Assert.Equal(3, a.Send(client, A, B, 7, "abc"u8));
            var buffer = new byte[100];
            Assert.Equal(5, server.Dequeue(buffer, out uint sender, out ushort senderPort));
            Assert.Equal("hello"u8.ToArray(), buffer.AsSpan(0, 5).ToArray());
            Assert.Equal(A, sender);
            Assert.Equal(client.LocalPort, senderPort);
            Assert.Equal(3, server.Dequeue(buffer, out _, out _));
            Assert.Equal(-Abi.Errno.EAGAIN, server.Dequeue(buffer, out _, out _));
        }

        [Fact]
        public void APortIsBoundOnceAndFreedOnClose()
        {
            var (_, a, _) = TwoHosts();
            UdpEndpoint first = a.Bind(0, 53, out _);
            Assert.Null(a.Bind(0, 53, out int error));
            Assert.Equal(Abi.Errno.EADDRINUSE, error);
            a.Close(first);
            Assert.NotNull(a.Bind(0, 53, out _));
        }

        [Fact]
        public void ACorruptedOrTruncatedDatagramIsDropped()
        {
            var (wire, a, b) = TwoHosts();
            UdpEndpoint server = b.Bind(0, 7, out _);
            UdpEndpoint client = a.Bind(0, 0, out _);
            a.Send(client, A, B, 7, "payload"u8);
            byte[] bad = (byte[])wire.Sent[0].Clone();
            bad[9] ^= 0x40;
            b.Receive(A, B, bad);
            b.Receive(A, B, bad.AsSpan(0, 5));                        // shorter than a header
            byte[] lying = (byte[])wire.Sent[0].Clone();
            lying[5] = 200;                                          // a length past the end
            b.Receive(A, B, lying);
            Assert.Equal(3, b.DatagramsDropped);
            Assert.Equal(1, server.Waiting);                         // only the good copy
        }

        [Fact]
        public void AFullQueueDropsAndCountsNewDatagrams()
        {
            var (_, a, b) = TwoHosts();
            UdpEndpoint server = b.Bind(0, 9, out _);
            UdpEndpoint client = a.Bind(0, 0, out _);
            for (int i = 0; i < 100; i++) a.Send(client, A, B, 9, new byte[100]);
            Assert.Equal(UdpEndpoint.QueueLength, server.Waiting);
            Assert.Equal(100 - UdpEndpoint.QueueLength, server.Dropped);
            Assert.Equal(-Abi.Errno.EMSGSIZE, a.Send(client, A, B, 9, new byte[UdpEndpoint.MaximumDatagram + 1]));
        }

        [Fact]
        public void AConnectedEndpointTakesOnlyItsPeersDatagrams()
        {
            var (_, a, b) = TwoHosts();
            UdpEndpoint server = b.Bind(0, 7, out _);
            server.RemoteAddress = A; server.RemotePort = 1234;
            UdpEndpoint stranger = a.Bind(0, 0, out _);
            a.Send(stranger, A, B, 7, "x"u8);
            Assert.Equal(0, server.Waiting);
            Assert.Equal(1, b.DatagramsDropped);
        }
    }
}
