using Net;
using Net.Tcp;

namespace TeachOS.Tests.Host.Net
{
    /// <summary>
    /// An in-memory network between TCP stacks, with a virtual clock in milliseconds: every segment
    /// sent is delivered to the stack that owns its destination address after a delay, unless the
    /// link loses it; it may also be duplicated, delayed more than the ones after it (reordered) or
    /// have one bit flipped. A fixed seed makes every run the same.
    /// </summary>
    internal sealed class SimulatedNetwork : TransportOutput
    {
        private readonly Random _random;
        private readonly List<(long At, long Order, uint Source, uint Destination, byte[] Bytes)> _inFlight = new();
        private readonly Dictionary<uint, TcpLayer> _hosts = new();
        private long _order;
        private long _now;

        public double Loss, Duplication, Reordering, Corruption;
        public long Delay = 5;
        public int Sent, Lost, Delivered;
        public List<TcpHeader> Trace { get; } = new();

        public SimulatedNetwork(int seed) { _random = new Random(seed); }

        public override long NowMilliseconds => _now;

        public TcpLayer AddHost(uint address)
        {
            var layer = new TcpLayer(this);
            _hosts[address] = layer;
            return layer;
        }

        public override void Send(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment)
        {
            Sent++;
            if (TcpHeader.TryParse(segment, out TcpHeader header)) Trace.Add(header);
            if (_random.NextDouble() < Loss) { Lost++; return; }
            int copies = _random.NextDouble() < Duplication ? 2 : 1;
            for (int i = 0; i < copies; i++)
            {
                byte[] bytes = segment.ToArray();
                if (_random.NextDouble() < Corruption) bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                long delay = Delay + (_random.NextDouble() < Reordering ? _random.Next(1, 30) : 0);
                _inFlight.Add((_now + delay, _order++, source, destination, bytes));
            }
        }

        /// <summary>Advances the clock one millisecond at a time until <paramref name="done"/> or the limit; returns whether done.</summary>
        public bool RunUntil(Func<bool> done, long limitMilliseconds = 120_000)
        {
            long end = _now + limitMilliseconds;
            while (_now < end)
            {
                if (done()) return true;
                Step();
            }
            return done();
        }

        public void Step()
        {
            _now++;
            var due = _inFlight.Where(p => p.At <= _now).OrderBy(p => p.At).ThenBy(p => p.Order).ToList();
            _inFlight.RemoveAll(p => p.At <= _now);
            foreach (var packet in due)
            {
                if (!_hosts.TryGetValue(packet.Destination, out TcpLayer host)) continue;
                Delivered++;
                host.Receive(packet.Source, packet.Destination, packet.Bytes);
            }
            foreach (TcpLayer host in _hosts.Values) host.Tick();
        }
    }
}
