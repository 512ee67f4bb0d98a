using System;
using Drivers;
using Sync;

namespace Net
{
    /// <summary>
    /// A bridge: a software Ethernet switch (Linux's `ip link add br0 type bridge`). Interfaces are
    /// attached to it as ports (the host's ends of veth pairs, later a virtual machine's NIC); a frame
    /// that arrives on a port is not taken up the port's own stack but switched:
    ///   - the switch learns: the frame's source MAC is reachable through the port it came in on
    ///     (a table of <see cref="TableSize"/> rows, the oldest replaced when full, each forgotten after
    ///     <see cref="AgeMilliseconds"/> as a switch's "ageing time");
    ///   - it forwards: a destination it has learnt goes out of that one port only (and not back out of
    ///     the port it came in on); a broadcast, or a destination not yet learnt, is flooded out of every
    ///     other port. ARP's request is a broadcast, its answer a unicast: after one exchange the
    ///     switch knows both ends and floods no more.
    /// The bridge also has an interface of its own, <see cref="Self"/> (br0), in the stack that made it:
    /// with an address on it the host itself is one more machine on the switch (the containers' gateway,
    /// 10.88.0.1 for `ctr run --net bridge`). Frames the host sends through br0 enter the switch as if
    /// from one more port; frames for br0's MAC (or broadcasts) are delivered up the host's stack.
    /// Lock: <see cref="_lock"/> guards the ports and the table; frames are handed to the ports' devices
    /// under it (a virtual device only copies the frame onto the wire).
    /// </summary>
    public sealed class Bridge
    {
        public const int MaximumPorts = 8, TableSize = 32;
        public const ulong AgeMilliseconds = 300_000;        // 5 minutes, Linux's default ageing time

        private struct Learnt
        {
            public ulong Mac;
            public NetworkInterface Port;                    // null: a free row
            public ulong SeenMilliseconds;
        }

        private readonly NetworkInterface[] _ports = new NetworkInterface[MaximumPorts];
        private readonly Learnt[] _table = new Learnt[TableSize];
        private SpinLock _lock;

        /// <summary>The bridge's own interface (br0) in the stack that made it.</summary>
        public NetworkInterface Self { get; private set; }

        /// <summary>Makes bridge <paramref name="name"/> in <paramref name="stack"/>: its own interface, down; null when the stack's interface list is full.</summary>
        public static NetworkInterface Create(NetworkStack stack, string name)
        {
            var bridge = new Bridge();
            var device = new BridgeDevice(bridge);
            NetworkInterface self = stack.AddInterface(name, device, isLoopback: false, isUp: false);
            if (self == null)
            {
                Mem.KernelHeap.Free(name);                       // taken over from the system call (Links.AddBridge)
                Mem.KernelHeap.Free(device);
                bridge.Free();
                return null;
            }
            bridge.Self = self;
            return self;
        }

        public int PortCount
        {
            get
            {
                int count = 0;
                for (int i = 0; i < MaximumPorts; i++) if (_ports[i] != null) count++;
                return count;
            }
        }

        /// <summary>Makes <paramref name="port"/> a port: 0, or -ENOSPC when all ports are taken.</summary>
        public int Attach(NetworkInterface port)
        {
            bool flags = _lock.Acquire();
            for (int i = 0; i < MaximumPorts; i++)
            {
                if (_ports[i] != null) continue;
                _ports[i] = port;
                port.Master = this;
                _lock.Release(flags);
                return 0;
            }
            _lock.Release(flags);
            return -Abi.Errno.ENOSPC;
        }

        /// <summary>Takes <paramref name="port"/> off the switch, and forgets what was learnt through it.</summary>
        public void Detach(NetworkInterface port)
        {
            bool flags = _lock.Acquire();
            for (int i = 0; i < MaximumPorts; i++) if (_ports[i] == port) _ports[i] = null;
            for (int i = 0; i < TableSize; i++) if (_table[i].Port == port) _table[i] = default;
            port.Master = null;
            _lock.Release(flags);
        }

        /// <summary>Gives back the switch's memory (its own interface, br0, is being freed: every port was detached when it left).</summary>
        internal void Free()
        {
            Mem.KernelHeap.Free(_ports);
            Mem.KernelHeap.Free(_table);
            Mem.KernelHeap.Free(this);
        }

        /// <summary>Detaches every port (the bridge is being deleted).</summary>
        public void DetachAll()
        {
            for (int i = 0; i < MaximumPorts; i++)
            {
                NetworkInterface port = _ports[i];
                if (port != null) Detach(port);
            }
        }

        /// <summary>
        /// Switches one frame that came in on <paramref name="from"/> (a port, or <see cref="Self"/> when the
        /// host sent it through br0). The frame is copied to where it goes; the caller keeps it.
        /// </summary>
        public void Forward(NetworkInterface from, ReadOnlySpan<byte> frame)
        {
            if (frame.Length < Ethernet.HeaderBytes) return;
            ulong destination = MacAddress.Read(frame, 0);
            ulong source = MacAddress.Read(frame, 6);
            ulong now = Time.Clock.UptimeMilliseconds;
            bool flags = _lock.Acquire();
            if (!MacAddress.IsGroup(source)) Learn(source, from, now);
            NetworkInterface only = MacAddress.IsGroup(destination) ? null : Lookup(destination, now);
            if (only != null)
            {
                if (only != from) SendOut(only, frame);
            }
            else
            {
                for (int i = 0; i < MaximumPorts; i++)
                    if (_ports[i] != null && _ports[i] != from) SendOut(_ports[i], frame);
                if (from != Self) SendOut(Self, frame);          // the host is on the switch too
            }
            _lock.Release(flags);
        }

        // Out of a port: its device puts the frame on the wire to the other end. Up to the host: onto the
        // wire for br0 itself, which (having no master) takes it up the host's stack.
        private void SendOut(NetworkInterface port, ReadOnlySpan<byte> frame)
        {
            if (!port.IsUp || port.Removed) return;
            if (port == Self)
            {
                PacketBuffer copy = PacketPool.Allocate();
                if (copy == null) { port.ReceiveDrops++; return; }
                frame.CopyTo(copy.Append(frame.Length));
                VirtualWire.Deliver(port, copy);
                return;
            }
            if (port.Device.Transmit(frame)) { port.SentFrames++; port.SentBytes += (ulong)frame.Length; }
            else port.SendDrops++;
        }

        private void Learn(ulong mac, NetworkInterface port, ulong now)
        {
            int free = -1, oldest = 0;
            for (int i = 0; i < TableSize; i++)
            {
                if (_table[i].Port == null) { if (free < 0) free = i; continue; }
                if (_table[i].Mac == mac)
                {
                    _table[i].Port = port;                       // seen again (or it moved to another port)
                    _table[i].SeenMilliseconds = now;
                    return;
                }
                if (_table[i].SeenMilliseconds < _table[oldest].SeenMilliseconds) oldest = i;
            }
            _table[free >= 0 ? free : oldest] = new Learnt { Mac = mac, Port = port, SeenMilliseconds = now };
        }

        private NetworkInterface Lookup(ulong mac, ulong now)
        {
            for (int i = 0; i < TableSize; i++)
                if (_table[i].Port != null && _table[i].Mac == mac && now - _table[i].SeenMilliseconds < AgeMilliseconds)
                    return _table[i].Port;
            return null;
        }

        /// <summary>The number of learnt rows (for `net link`'s counters and the tests).</summary>
        public int LearntCount
        {
            get
            {
                int count = 0;
                for (int i = 0; i < TableSize; i++) if (_table[i].Port != null) count++;
                return count;
            }
        }
    }

    /// <summary>The "card" behind a bridge's own interface: what the host sends through br0 enters the switch.</summary>
    public sealed class BridgeDevice : NetworkDevice
    {
        public readonly Bridge Bridge;
        private readonly ulong _mac = VirtualDevice.NextMac();

        public BridgeDevice(Bridge bridge) { Bridge = bridge; }

        public override string Name => "bridge";

        public override void ReadMacAddress(Span<byte> into) => MacAddress.Write(into, 0, _mac);

        public override bool Transmit(ReadOnlySpan<byte> frame)
        {
            Bridge.Forward(Bridge.Self, frame);
            FramesTransmitted++;
            return true;
        }

        public override int Receive(Span<byte> into) => 0;

        [TeachOS.Boundary.MayBlock]
        public override void WaitForFrames() { }
    }
}
