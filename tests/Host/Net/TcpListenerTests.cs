using Net;
using Net.Tcp;
using Xunit;
using static TeachOS.Tests.Host.Net.TcpTransferTests;

namespace TeachOS.Tests.Host.Net
{
    /// <summary>The accept backlog, a SYN flood, malformed segments, and the port table.</summary>
    public class TcpListenerTests
    {
        /// <summary>SYNs from many forged source ports that never complete the handshake.</summary>
        private static void Flood(SimulatedNetwork network, TcpLayer target, int count)
        {
            var segment = new byte[TcpHeader.MinimumLength];
            for (int i = 0; i < count; i++)
            {
                var syn = new TcpHeader { SourcePort = (ushort)(1000 + i), DestinationPort = ServerPort, Sequence = (uint)i * 7919, Flags = TcpHeader.Syn, Window = 1000 };
                syn.Write(segment);
                TcpHeader.StoreChecksum(segment, TransportChecksum.Compute(0x0A0000F0, ServerAddress, TransportChecksum.ProtocolTcp, segment));
                target.Receive(0x0A0000F0, ServerAddress, segment);   // 10.0.0.240: nobody answers there
            }
        }

        [Fact]
        public void ASynFloodFillsTheBacklogIsRefusedAndDrainsAway()
        {
            var network = new SimulatedNetwork(30);
            TcpLayer server = network.AddHost(ServerAddress);
            TcpLayer client = network.AddHost(ClientAddress);
            server.Ports.Take(ServerPort);
            TcpListener listener = server.Listen(0, ServerPort, 8, out _);
            Flood(network, server, 1000);
            Assert.Equal(8, listener.HalfOpen);
            Assert.Equal(8, server.ConnectionCount);                 // memory is bounded by the backlog
            Assert.Equal(992, listener.Refused);
            // A real client is refused while the flood holds the backlog...
            TcpConnection early = client.Connect(ClientAddress, ServerAddress, ServerPort, out _);
            Assert.True(network.RunUntil(() => early.State == TcpState.Closed));
            Assert.Equal(Abi.Errno.ECONNREFUSED, early.Error);
            // ...and gets in once the half-open handshakes give up.
            Assert.True(network.RunUntil(() => listener.HalfOpen == 0, 600_000));
            Assert.Equal(0, server.ConnectionCount);
            early.Release();
            TcpConnection late = client.Connect(ClientAddress, ServerAddress, ServerPort, out _);
            Assert.True(network.RunUntil(() => late.State == TcpState.Established && listener.ReadyCount == 1));
        }

        [Fact]
        public void TheBacklogCountsConnectionsNotYetAccepted()
        {
            var network = new SimulatedNetwork(31);
            TcpLayer server = network.AddHost(ServerAddress);
            TcpLayer client = network.AddHost(ClientAddress);
            server.Ports.Take(ServerPort);
            TcpListener listener = server.Listen(0, ServerPort, 2, out _);
            var connections = new TcpConnection[3];
            for (int i = 0; i < 3; i++) connections[i] = client.Connect(ClientAddress, ServerAddress, ServerPort, out _);
            network.RunUntil(() => false, 3000);
            Assert.Equal(2, listener.ReadyCount);
            Assert.Equal(Abi.Errno.ECONNREFUSED, connections[2].Error);
            Assert.NotNull(listener.Accept());
            Assert.NotNull(listener.Accept());
            Assert.Null(listener.Accept());
        }

        [Fact]
        public void ClosingAListenerResetsWhatNobodyAccepted()
        {
            var network = new SimulatedNetwork(32);
            TcpLayer server = network.AddHost(ServerAddress);
            TcpLayer client = network.AddHost(ClientAddress);
            server.Ports.Take(ServerPort);
            TcpListener listener = server.Listen(0, ServerPort, 2, out _);
            TcpConnection connection = client.Connect(ClientAddress, ServerAddress, ServerPort, out _);
            Assert.True(network.RunUntil(() => listener.ReadyCount == 1));
            server.CloseListener(listener);
            Assert.Equal(0, server.ConnectionCount);
            Assert.True(network.RunUntil(() => connection.State == TcpState.Closed));
            Assert.Equal(Abi.Errno.ECONNRESET, connection.Error);
        }

        [Theory]
        [InlineData(new byte[0])]
        [InlineData(new byte[] { 0, 80, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x40, 2, 1, 0, 0, 0, 0, 0 })]   // offset 4 words < 5
        [InlineData(new byte[] { 0, 80, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0xF0, 2, 1, 0, 0, 0, 0, 0 })]   // offset 60 > length
        public void MalformedHeadersAreRefused(byte[] segment)
        {
            Assert.False(TcpHeader.TryParse(segment, out _));
        }

        [Fact]
        public void MalformedOptionsEndTheWalkWithoutReadingPastTheHeader()
        {
            var segment = new byte[24];
            new TcpHeader { SourcePort = 1, DestinationPort = 2, Flags = TcpHeader.Syn }.Write(segment);
            segment[12] = 6 << 4;
            segment[20] = 2; segment[21] = 40;                       // a segment-size option claiming 40 bytes
            Assert.True(TcpHeader.TryParse(segment, out TcpHeader header));
            Assert.Equal(0, header.MaximumSegmentSize);
        }

        [Fact]
        public void ASegmentWithABadChecksumIsDroppedNotAnswered()
        {
            var network = new SimulatedNetwork(33);
            TcpLayer server = network.AddHost(ServerAddress);
            var segment = new byte[TcpHeader.MinimumLength];
            new TcpHeader { SourcePort = 5, DestinationPort = 6, Flags = TcpHeader.Syn }.Write(segment);
            server.Receive(ClientAddress, ServerAddress, segment);
            Assert.Equal(1, server.SegmentsDropped);
            Assert.Equal(0, network.Sent);
        }

        [Fact]
        public void TheChecksumMatchesAKnownSegment()
        {
            // Addresses 192.0.2.1 → 192.0.2.2, TCP, the 4 bytes 01 02 03 04: sum worked out by hand.
            // Pseudo-header: c000 + 0201 + c000 + 0202 + 0006 + 0004 = 1840d; data: 0102 + 0304 = 0406.
            // 1840d + 0406 = 18813 → 8813 + 1 = 8814 → checksum ~8814 = 77eb.
            Assert.Equal(0x77EB, TransportChecksum.Compute(0xC0000201, 0xC0000202, 6, new byte[] { 1, 2, 3, 4 }));
        }

        [Fact]
        public void PortsAreTakenOnceAndEphemeralOnesComeFromTheirRange()
        {
            var ports = new PortTable();
            Assert.Equal(0, ports.Take(8080));
            Assert.Equal(-Abi.Errno.EADDRINUSE, ports.Take(8080));
            Assert.Equal(-Abi.Errno.EINVAL, ports.Take(0));
            int first = ports.TakeEphemeral(), second = ports.TakeEphemeral();
            Assert.InRange(first, PortTable.FirstEphemeral, PortTable.LastEphemeral);
            Assert.NotEqual(first, second);
            ports.Release(8080);
            Assert.Equal(0, ports.Take(8080));
            for (int i = 0; i < PortTable.LastEphemeral - PortTable.FirstEphemeral - 1; i++) Assert.True(ports.TakeEphemeral() > 0);
            Assert.Equal(-Abi.Errno.EADDRNOTAVAIL, ports.TakeEphemeral());
        }
    }
}
