using Net.Tcp;
using Xunit;

namespace TeachOS.Tests.Host.Net
{
    /// <summary>
    /// Two TCP endpoints on a simulated link: the handshake, a transfer that must arrive intact and in
    /// order (on a clean link and on one that loses, duplicates, reorders and corrupts), and both
    /// closes. Each test uses a fixed seed, so a failure repeats.
    /// </summary>
    public class TcpTransferTests
    {
        internal const uint ClientAddress = 0x0A000001, ServerAddress = 0x0A000002;   // 10.0.0.1, 10.0.0.2
        internal const ushort ServerPort = 80;

        internal sealed class Pair
        {
            public SimulatedNetwork Network;
            public TcpLayer Client, Server;
            public TcpListener Listener;
            public TcpConnection Active, Passive;
        }

        internal static Pair Connect(SimulatedNetwork network)
        {
            var pair = new Pair { Network = network };
            pair.Client = network.AddHost(ClientAddress);
            pair.Server = network.AddHost(ServerAddress);
            Assert.Equal(0, pair.Server.Ports.Take(ServerPort));
            pair.Listener = pair.Server.Listen(0, ServerPort, 4, out int error);
            Assert.Equal(0, error);
            pair.Active = pair.Client.Connect(ClientAddress, ServerAddress, ServerPort, out error);
            Assert.Equal(0, error);
            Assert.True(network.RunUntil(() => (pair.Passive ??= pair.Listener.Accept()) != null && pair.Active.State == TcpState.Established),
                "handshake did not finish");
            return pair;
        }

        /// <summary>Sends <paramref name="payload"/> from one end, reads at the other, returns what arrived.</summary>
        internal static byte[] Transfer(SimulatedNetwork network, TcpConnection from, TcpConnection to, byte[] payload, long limit = 600_000)
        {
            var received = new List<byte>();
            int sent = 0;
            var buffer = new byte[3000];
            bool done = network.RunUntil(() =>
            {
                if (sent < payload.Length)
                {
                    int n = from.Send(payload.AsSpan(sent));
                    if (n > 0) sent += n;
                    else Assert.True(n == -Abi.Errno.EAGAIN, $"send gave {n} in {from.State} at {network.NowMilliseconds} ms after {sent} bytes");
                }
                int r;
                while ((r = to.Receive(buffer)) > 0) received.AddRange(buffer.AsSpan(0, r).ToArray());
                return received.Count >= payload.Length;
            }, limit);
            Assert.True(done, $"only {received.Count} of {payload.Length} bytes arrived");
            return received.ToArray();
        }

        internal static byte[] Pattern(int length, int seed)
        {
            var bytes = new byte[length];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }

        [Fact]
        public void HandshakeIsThreeSegments()
        {
            var network = new SimulatedNetwork(1);
            Pair pair = Connect(network);
            Assert.Equal(TcpState.Established, pair.Passive.State);
            Assert.Equal(TcpHeader.Syn, network.Trace[0].Flags);
            Assert.Equal(TcpHeader.Syn | TcpHeader.Ack, network.Trace[1].Flags);
            Assert.Equal(network.Trace[0].Sequence + 1, network.Trace[1].Acknowledgment);
            Assert.Equal(TcpHeader.Ack, network.Trace[2].Flags);
            Assert.Equal(network.Trace[1].Sequence + 1, network.Trace[2].Acknowledgment);
            Assert.Equal(1460, pair.Active.SegmentSize);          // both offered 1460 in their SYNs
        }

        [Fact]
        public void BytesArriveIntactOnACleanLink()
        {
            var network = new SimulatedNetwork(2);
            Pair pair = Connect(network);
            byte[] payload = Pattern(100_000, 2);
            Assert.Equal(payload, Transfer(network, pair.Active, pair.Passive, payload));
            Assert.Equal(0, network.Lost);
        }

        [Theory]
        [InlineData(10, 0.10, 0.0, 0.0)]     // 10 % loss
        [InlineData(11, 0.10, 0.05, 0.20)]   // and duplicates and reordering
        [InlineData(12, 0.25, 0.10, 0.30)]   // a bad link
        public void BytesArriveIntactInOrderOnALossyLink(int seed, double loss, double duplication, double reordering)
        {
            var network = new SimulatedNetwork(seed);
            Pair pair = Connect(network);
            network.Loss = loss; network.Duplication = duplication; network.Reordering = reordering;
            byte[] payload = Pattern(60_000, seed);
            Assert.Equal(payload, Transfer(network, pair.Active, pair.Passive, payload));
            Assert.True(network.Lost > 0, "the link lost nothing: the test tested nothing");
            byte[] reply = Pattern(20_000, seed + 1);               // and the other way round
            Assert.Equal(reply, Transfer(network, pair.Passive, pair.Active, reply));
        }

        [Fact]
        public void CorruptedSegmentsAreDroppedByTheChecksumAndResent()
        {
            var network = new SimulatedNetwork(13);
            Pair pair = Connect(network);
            network.Corruption = 0.1;
            byte[] payload = Pattern(30_000, 13);
            Assert.Equal(payload, Transfer(network, pair.Active, pair.Passive, payload));
            Assert.True(pair.Server.SegmentsDropped + pair.Client.SegmentsDropped > 0);
        }

        [Fact]
        public void TheHandshakeSurvivesLoss()
        {
            var network = new SimulatedNetwork(14) { Loss = 0.3 };
            Pair pair = Connect(network);
            Assert.Equal(TcpState.Established, pair.Passive.State);
        }

        [Fact]
        public void ASlowReaderClosesTheWindowAndTheSenderWaits()
        {
            var network = new SimulatedNetwork(15);
            Pair pair = Connect(network);
            byte[] payload = Pattern(TcpConnection.BufferSize * 2, 15);
            int sent = 0;
            network.RunUntil(() => { int n = pair.Active.Send(payload.AsSpan(sent)); if (n > 0) sent += n; return false; }, 2000);
            // Nobody reads: the receiver's buffer is full, its window zero, and the sender's buffer full too.
            Assert.Equal(0u, pair.Passive.ReceiveSpace.Window);
            Assert.Equal(0u, pair.Active.SendSpace.Window);
            Assert.Equal(TcpConnection.BufferSize * 2, sent);
            Assert.Equal(TcpState.Established, pair.Active.State);
            var received = new List<byte>();
            var buffer = new byte[1000];
            Assert.True(network.RunUntil(() =>
            {
                int r;
                while ((r = pair.Passive.Receive(buffer)) > 0) received.AddRange(buffer.AsSpan(0, r).ToArray());
                return received.Count == payload.Length;
            }, 60_000));
            Assert.Equal(payload, received.ToArray());
        }
    }
}
