using System;
using Net.Tcp;
using Net.Udp;
using Sched;
using TeachOS.Boundary;
using Time;

namespace Net.Sockets
{
    /// <summary>
    /// TCP and UDP in the kernel: one TcpLayer and one UdpLayer for each network stack (each namespace has
    /// its own connections and ports: two containers may both listen on port 80), the one lock that guards
    /// them all, and the three places where they meet the rest of the kernel:
    ///   - below, IPv4: segments go out through <see cref="Ipv4Output"/> and come in through the
    ///     protocols registered for numbers 6 and 17 (<see cref="TcpReceiver"/>, <see cref="UdpReceiver"/>),
    ///     which run in the network's receive threads and hand each segment to the layers of the stack
    ///     whose interface it arrived on;
    ///   - above, the sockets, woken through <see cref="SocketWakeups"/>;
    ///   - the clock: a kernel thread that runs every stack's TCP timers every <see cref="TickMilliseconds"/>
    ///     while any connection exists, and sleeps otherwise.
    /// The lock is a sleep lock, not a spin lock: TCP sends while it holds it, and sending may wait
    /// for a packet buffer or a device; allocation (a connection made by a SYN) happens under it too.
    /// </summary>
    public static unsafe class Transport
    {
        public const long TickMilliseconds = 10;

        public static SleepLock Lock;
        private static SocketWakeups s_wakeups;
        private static WaitQueue s_timerWork;
        private static bool s_timerKicked;

        public static void Start()
        {
            Lock = new SleepLock("transport");
            s_timerWork = new WaitQueue("tcp timer: a connection exists");
            s_wakeups = new SocketWakeups();
            Attach(NetworkStack.Root);
            IpProtocols.Register(IpProtocols.Tcp, new TcpReceiver());
            IpProtocols.Register(IpProtocols.Udp, new UdpReceiver());
            Scheduler.Start(Thread.CreateKernel("tcp-timer", &RunTimer, 0));
        }

        /// <summary>Gives <paramref name="stack"/> its own TCP and UDP, sending through its own routes.</summary>
        public static void Attach(NetworkStack stack)
        {
            var output = new Ipv4Output(stack);
            stack.Tcp = new TcpLayer(InjectedLoss.FromCommandLine(output, stack)) { Events = s_wakeups };   // tcp-loss=PERCENT
            stack.Udp = new UdpLayer(output) { Events = s_wakeups };
        }

        /// <summary>
        /// Frees <paramref name="stack"/>'s TCP and UDP, with the connections still closing in it (NetworkNamespaces.Tear,
        /// its last holder gone: no socket names them, the timer no longer finds the stack, its interfaces are gone
        /// so no segment arrives for it). Under the transport lock, so that no round of the timer or segment that
        /// started before is still inside them.
        /// </summary>
        public static void Detach(NetworkStack stack)
        {
            Lock.Acquire();
            // One Ipv4Output for both (Attach); TCP's may be wrapped in an InjectedLoss (tcp-loss=).
            TransportOutput tcpOutput = stack.Tcp.Output, udpOutput = stack.Udp.Output;
            stack.Tcp.Free();
            stack.Udp.Free();
            stack.Tcp = null;
            stack.Udp = null;
            Lock.Release();
            if (tcpOutput != udpOutput) Mem.KernelHeap.Free(tcpOutput);
            Mem.KernelHeap.Free(udpOutput);
        }

        /// <summary>A connection was made: make sure the timer runs (call with no lock held).</summary>
        public static void KickTimer()
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            s_timerKicked = true;
            Scheduler.WakeAllLocked(s_timerWork);
            Scheduler.ThreadStateLock.Release(flags);
        }

        [MayBlock]
        private static int RunTimer(ulong unused)
        {
            while (true)
            {
                bool flags = Scheduler.ThreadStateLock.Acquire();
                while (!s_timerKicked) Scheduler.WaitLocked(s_timerWork);
                s_timerKicked = false;
                Scheduler.ThreadStateLock.Release(flags);

                bool more = true;
                while (more)
                {
                    Scheduler.Sleep((ulong)TickMilliseconds * Clock.Hertz / 1000);
                    more = false;
                    for (int row = 0; row < NetworkNamespaces.Maximum; row++)
                    {
                        NetworkStack stack = NetworkNamespaces.TryHold(row);
                        if (stack == null) continue;
                        Lock.Acquire();
                        stack.Tcp.Tick();
                        more |= stack.Tcp.ConnectionCount > 0;
                        Lock.Release();
                        NetworkNamespaces.Release(stack);
                    }
                }
            }
        }
    }

    /// <summary>Hands TCP's and UDP's segments to IPv4 in a packet buffer; the clock in milliseconds.</summary>
    internal sealed class Ipv4Output : TransportOutput
    {
        private readonly NetworkStack _stack;

        public Ipv4Output(NetworkStack stack) { _stack = stack; }

        public override long NowMilliseconds => (long)(Clock.Ticks * 1000 / Clock.Hertz);

        public override void Send(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment)
        {
            PacketBuffer packet = PacketPool.Allocate();
            if (packet == null) return;                    // no buffer: as if the network lost it; TCP sends again
            Span<byte> room = packet.Append(segment.Length);
            if (room.Length != segment.Length) { PacketPool.Free(packet); return; }
            segment.CopyTo(room);
            Ipv4.Send(_stack, source, destination, protocol, packet);   // takes the buffer
        }
    }

    /// <summary>IPv4 protocol 6: a TCP segment arrived.</summary>
    internal sealed class TcpReceiver : IpProtocol
    {
        public override void Receive(in Ipv4Datagram datagram, PacketBuffer payload)
        {
            TcpLayer tcp = datagram.Stack.Tcp;
            Transport.Lock.Acquire();
            int before = tcp.ConnectionCount;
            tcp.Receive(datagram.Source, datagram.Destination, payload.Data);
            bool made = tcp.ConnectionCount > before;
            Transport.Lock.Release();
            PacketPool.Free(payload);
            if (made) Transport.KickTimer();
        }
    }

    /// <summary>IPv4 protocol 17: a UDP datagram arrived.</summary>
    internal sealed class UdpReceiver : IpProtocol
    {
        public override void Receive(in Ipv4Datagram datagram, PacketBuffer payload)
        {
            Transport.Lock.Acquire();
            datagram.Stack.Udp.Receive(datagram.Source, datagram.Destination, payload.Data);
            Transport.Lock.Release();
            PacketPool.Free(payload);
        }
    }

    /// <summary>Something happened on an endpoint: wake the socket's waiters.</summary>
    internal sealed class SocketWakeups : TransportEvents
    {
        public override void Changed(object owner) => ((Socket)owner).Wake();
    }
}
