using System;
using Fs;
using Net.Tcp;
using Net.Udp;
using Sched;
using TeachOS.Boundary;

namespace Net.Sockets
{
    /// <summary>
    /// A socket: a network endpoint as a file descriptor, an OpenFile like a pipe end, so read, write,
    /// close, dup2 and inheritance across spawn work unchanged. Behind it is one of: a TCP connection
    /// (SocketStream.cs), a TCP listener, or a UDP endpoint (SocketDatagram.cs).
    ///
    /// Waiting: the protocols never block; they answer -EAGAIN. The socket then sleeps on its wait
    /// queue until the protocols report a change (SocketWakeups → <see cref="Wake"/>) or the process
    /// is killed. The change counter closes the race between "nothing there" (seen under the
    /// transport lock) and "asleep": a change in between bumps the counter, and the waiter sees it
    /// under the scheduler's lock before it sleeps.
    ///
    /// A socket belongs to the network namespace of the process that made it (its stack: addresses,
    /// routes, ports), and keeps it alive while open, as Linux's sockets hold their `struct net`.
    /// </summary>
    public sealed partial class Socket : OpenFile
    {
        public readonly int Type;                        // Abi.SocketType
        private readonly WaitQueue _changes = new WaitQueue("socket");
        private ulong _changeCount;                      // under Scheduler.ThreadStateLock
        private TcpConnection _connection;
        private TcpListener _listener;
        private UdpEndpoint _udp;
        private ushort _boundPort;                       // a TCP port taken by bind, before listen or connect
        private uint _boundAddress;
        private bool _readShut;
        private readonly NetworkStack _stack;

        /// <summary>A socket of <paramref name="stack"/>, which it holds (the caller's own reference stays the caller's).</summary>
        public Socket(int type, NetworkStack stack)
        {
            Type = type;
            _stack = NetworkNamespaces.Hold(stack);
        }

        private Socket(TcpConnection accepted, NetworkStack stack)
        {
            _stack = NetworkNamespaces.Hold(stack);
            Type = Abi.SocketType.Stream;
            _connection = accepted;
            accepted.Owner = this;
        }

        public override FileKind Kind => FileKind.Socket;

        /// <summary>fstat's size: the bytes (TCP) or datagrams (UDP) waiting to be read.</summary>
        public override long Size
        {
            get
            {
                Transport.Lock.Acquire();
                long waiting = _connection != null ? _connection.ReceiveSpace.Readable : _udp != null ? _udp.Waiting : 0;
                Transport.Lock.Release();
                return waiting;
            }
        }

        private bool IsStream => Type == Abi.SocketType.Stream;

        /// <summary>The protocols changed something this socket's waiters may be waiting for.</summary>
        internal void Wake()
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            _changeCount++;
            Scheduler.WakeAllLocked(_changes);
            Scheduler.ThreadStateLock.Release(flags);
        }

        /// <summary>The change counter, read with the transport lock held, before a wait.</summary>
        private ulong Changes
        {
            get
            {
                bool flags = Scheduler.ThreadStateLock.Acquire();
                ulong count = _changeCount;
                Scheduler.ThreadStateLock.Release(flags);
                return count;
            }
        }

        /// <summary>Sleeps until a change after <paramref name="seen"/>; false when the process was killed.</summary>
        [MayBlock]
        private bool WaitForChange(ulong seen)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            while (_changeCount == seen && !Scheduler.IsKilled(Scheduler.Current)) Scheduler.WaitLocked(_changes);
            bool killed = Scheduler.IsKilled(Scheduler.Current);
            Scheduler.ThreadStateLock.Release(flags);
            return !killed;
        }

        /// <summary>bind: a local port (0: an ephemeral one) on one of our addresses, or on all (0).</summary>
        [MayBlock]
        public long Bind(uint address, int port)
        {
            if (port < 0 || port > 65535) return -Abi.Errno.EINVAL;
            if (address != 0 && !IsOurAddress(address)) return -Abi.Errno.EADDRNOTAVAIL;
            Transport.Lock.Acquire();
            long result = BindLocked(address, port);
            Transport.Lock.Release();
            return result;
        }

        private long BindLocked(uint address, int port)
        {
            if (_boundPort != 0 || _udp != null || _connection != null || _listener != null) return -Abi.Errno.EINVAL;
            if (!IsStream)
            {
                _udp = _stack.Udp.Bind(address, (ushort)port, out int error);
                if (_udp == null) return -error;
                _udp.Owner = this;
                return 0;
            }
            int taken = port == 0 ? _stack.Tcp.Ports.TakeEphemeral() : _stack.Tcp.Ports.Take((ushort)port);
            if (taken < 0) return taken;
            _boundPort = port == 0 ? (ushort)taken : (ushort)port;
            _boundAddress = address;
            return 0;
        }

        private bool IsOurAddress(uint address)
        {
            NetworkStack stack = _stack;
            bool flags = stack.Lock.Acquire();
            bool ours = stack.IsLocalAddressLocked(address);
            stack.Lock.Release(flags);
            return ours;
        }

        /// <summary>getsockname / getpeername.</summary>
        [MayBlock]
        public long Name(bool peer, out Abi.SocketAddress name)
        {
            name = default;
            long result = 0;
            Transport.Lock.Acquire();
            if (_connection != null)
            {
                name.Address = peer ? _connection.RemoteAddress : _connection.LocalAddress;
                name.Port = peer ? _connection.RemotePort : _connection.LocalPort;
            }
            else if (peer && (_udp == null || !_udp.IsConnected)) result = -Abi.Errno.ENOTCONN;
            else if (_udp != null)
            {
                name.Address = peer ? _udp.RemoteAddress : _udp.LocalAddress;
                name.Port = peer ? _udp.RemotePort : _udp.LocalPort;
            }
            else if (_listener != null) { name.Address = _listener.LocalAddress; name.Port = _listener.LocalPort; }
            else { name.Address = _boundAddress; name.Port = _boundPort; }
            Transport.Lock.Release();
            return result;
        }

        /// <summary>The last descriptor closed: let the protocols finish (or reset) and free what is ours.</summary>
        protected override void Closed()
        {
            Transport.Lock.Acquire();
            if (_connection != null) { _connection.Owner = null; _connection.Release(); }
            if (_listener != null) { _stack.Tcp.CloseListener(_listener); _stack.Tcp.Ports.Release(_boundPort); }
            else if (_boundPort != 0 && _connection == null) _stack.Tcp.Ports.Release(_boundPort);
            if (_udp != null) _stack.Udp.Close(_udp);
            Transport.Lock.Release();
            Mem.KernelHeap.Free(_changes);
            NetworkNamespaces.Release(_stack);        // with no lock held: the last socket of a gone namespace frees it
        }
    }
}
