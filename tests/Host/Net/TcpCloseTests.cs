using Net.Tcp;
using Xunit;
using static TeachOS.Tests.Host.Net.TcpTransferTests;

namespace TeachOS.Tests.Host.Net
{
    /// <summary>Orderly close (FIN, TIME-WAIT), abortive close (RST), refusal and timeouts.</summary>
    public class TcpCloseTests
    {
        [Theory]
        [InlineData(20, 0.0)]
        [InlineData(21, 0.2)]
        public void OrderlyCloseEndsInTimeWaitThenFreesEverything(int seed, double loss)
        {
            var network = new SimulatedNetwork(seed);
            Pair pair = Connect(network);
            network.Loss = loss;
            byte[] payload = Pattern(5000, seed);
            Assert.Equal(payload, Transfer(network, pair.Active, pair.Passive, payload));
            pair.Active.Shutdown();                                 // the client closes first
            var buffer = new byte[100];
            Assert.True(network.RunUntil(() => pair.Passive.Receive(buffer) == 0));
            Assert.Equal(TcpState.CloseWait, pair.Passive.State);
            Assert.Equal(-Abi.Errno.EPIPE, pair.Active.Send(payload));
            pair.Passive.Release();                                 // then the server
            Assert.True(network.RunUntil(() => pair.Active.State == TcpState.TimeWait), $"client {pair.Active.State} {pair.Active.Error}, server {pair.Passive.State} {pair.Passive.Error}");
            long timeWaitStart = network.NowMilliseconds;
            Assert.True(network.RunUntil(() => pair.Server.ConnectionCount == 0));
            pair.Active.Release();
            Assert.True(network.RunUntil(() => pair.Client.ConnectionCount == 0));
            Assert.True(network.NowMilliseconds - timeWaitStart >= TcpConnection.TimeWaitMilliseconds - 50);
            Assert.Equal(0, pair.Client.Ports.InUse);                // the ephemeral port came back
            Assert.Equal(0, pair.Active.Error);
        }

        [Fact]
        public void SimultaneousCloseGoesThroughClosing()
        {
            var network = new SimulatedNetwork(22);
            Pair pair = Connect(network);
            pair.Active.Shutdown();
            pair.Passive.Shutdown();
            Assert.Equal(TcpState.FinWait1, pair.Active.State);
            Assert.True(network.RunUntil(() => pair.Active.State == TcpState.TimeWait && pair.Passive.State == TcpState.TimeWait));
            Assert.Contains(network.Trace, h => h.Has(TcpHeader.Fin));
        }

        [Fact]
        public void AbortSendsResetAndThePeerSeesConnectionReset()
        {
            var network = new SimulatedNetwork(23);
            Pair pair = Connect(network);
            pair.Active.Abort();
            Assert.Equal(TcpState.Closed, pair.Active.State);
            var buffer = new byte[10];
            Assert.True(network.RunUntil(() => pair.Passive.State == TcpState.Closed));
            Assert.Equal(-Abi.Errno.ECONNRESET, pair.Passive.Receive(buffer));
            Assert.Equal(-Abi.Errno.ECONNRESET, pair.Passive.Send(buffer));
        }

        [Fact]
        public void ClosingWithUnreadDataResets()
        {
            var network = new SimulatedNetwork(24);
            Pair pair = Connect(network);
            Transfer(network, pair.Active, pair.Passive, new byte[1]);  // drains what it reads: send more, unread
            pair.Active.Send(new byte[100]);
            Assert.True(network.RunUntil(() => pair.Passive.ReceiveSpace.Readable == 100));
            pair.Passive.Release();
            Assert.True(network.RunUntil(() => pair.Active.State == TcpState.Closed));
            Assert.Equal(TcpState.Closed, pair.Active.State);
            Assert.Equal(-Abi.Errno.ECONNRESET, pair.Active.Receive(new byte[10]));
        }

        [Fact]
        public void ConnectingToAPortNobodyListensOnIsRefused()
        {
            var network = new SimulatedNetwork(25);
            TcpLayer client = network.AddHost(ClientAddress);
            TcpLayer server = network.AddHost(ServerAddress);
            TcpConnection connection = client.Connect(ClientAddress, ServerAddress, 81, out _);
            Assert.True(network.RunUntil(() => connection.State == TcpState.Closed));
            Assert.Equal(Abi.Errno.ECONNREFUSED, connection.Error);
            Assert.Equal(1, server.ResetsSent);
        }

        [Fact]
        public void APeerThatVanishesTimesOutWithBackoff()
        {
            var network = new SimulatedNetwork(26);
            Pair pair = Connect(network);
            network.Loss = 1.0;                                     // the cable is cut
            pair.Active.Send(new byte[10]);
            long start = network.NowMilliseconds;
            Assert.True(network.RunUntil(() => pair.Active.State == TcpState.Closed, 600_000));
            Assert.Equal(Abi.Errno.ETIMEDOUT, pair.Active.Error);
            Assert.Equal(-Abi.Errno.ETIMEDOUT, pair.Active.Receive(new byte[1]));
            // Exponential backoff: the 8 waits add up to much more than 8 initial timeouts.
            Assert.True(network.NowMilliseconds - start > 20 * RetransmissionTimer.MinimumTimeout);
            var data = network.Trace.Where(h => h.SourcePort == pair.Active.LocalPort && h.Has(TcpHeader.Psh)).ToList();
            Assert.Equal(1 + TcpConnection.MaximumRetransmissions, data.Count);
        }

        [Fact]
        public void ASynToAnUnreachableHostTimesOut()
        {
            var network = new SimulatedNetwork(27);
            TcpLayer client = network.AddHost(ClientAddress);
            TcpConnection connection = client.Connect(ClientAddress, 0x0A0000FE, 80, out _);
            Assert.True(network.RunUntil(() => connection.State == TcpState.Closed, 600_000));
            Assert.Equal(Abi.Errno.ETIMEDOUT, connection.Error);
            Assert.Equal(1 + TcpConnection.MaximumSynRetransmissions, network.Trace.Count(h => h.Has(TcpHeader.Syn)));
        }
    }
}
