using System;
using TeachOS.Boundary;

namespace Net.Sockets
{
    /// <summary>
    /// A datagram (UDP) socket's calls, and the calls both kinds share (read, write, connect, sendto,
    /// recvfrom), which look at the kind and go one way or the other. UDP needs a local port before it
    /// sends: a socket that was not bound gets an ephemeral one, as in Unix.
    /// </summary>
    public sealed partial class Socket
    {
        public override long Read(Span<byte> buffer) => IsStream ? ReadStream(buffer) : ReceiveDatagram(buffer, out _);

        public override long Write(ReadOnlySpan<byte> data)
        {
            if (IsStream) return WriteStream(data);
            Transport.Lock.Acquire();
            bool connected = _udp != null && _udp.IsConnected;
            uint address = connected ? _udp.RemoteAddress : 0;
            int port = connected ? _udp.RemotePort : 0;
            Transport.Lock.Release();
            return connected ? SendTo(data, address, port) : -Abi.Errno.EDESTADDRREQ;
        }

        [MayBlock]
        public long Connect(uint address, int port)
        {
            if (port < 1 || port > 65535) return -Abi.Errno.EINVAL;
            if (IsStream) return ConnectStream(address, port);
            Transport.Lock.Acquire();
            long result = _udp == null ? BindLocked(0, 0) : 0;
            if (result == 0) { _udp.RemoteAddress = address; _udp.RemotePort = (ushort)port; }
            Transport.Lock.Release();
            return result;
        }

        /// <summary>sendto: one datagram to address:port (UDP); a write (TCP).</summary>
        [MayBlock]
        public long SendTo(ReadOnlySpan<byte> data, uint address, int port)
        {
            if (IsStream) return WriteStream(data);
            if (port < 1 || port > 65535) return -Abi.Errno.EINVAL;
            uint source = 0;
            if (!Ipv4.Route(_stack, address, out NetworkInterface through, out uint nextHop, out source))
                return -Abi.Errno.ENETUNREACH;
            Transport.Lock.Acquire();
            long result = _udp == null ? BindLocked(0, 0) : 0;
            if (result == 0)
            {
                if (_udp.LocalAddress != 0) source = _udp.LocalAddress;
                result = _stack.Udp.Send(_udp, source, address, (ushort)port, data);
            }
            Transport.Lock.Release();
            return result;
        }

        /// <summary>recvfrom: the next datagram and its sender (UDP); a read and the peer (TCP).</summary>
        [MayBlock]
        public long ReceiveFrom(Span<byte> buffer, out Abi.SocketAddress sender)
        {
            sender = default;
            if (!IsStream) return ReceiveDatagram(buffer, out sender);
            long n = ReadStream(buffer);
            if (n >= 0) Name(peer: true, out sender);
            return n;
        }

        [MayBlock]
        private long ReceiveDatagram(Span<byte> buffer, out Abi.SocketAddress sender)
        {
            sender = default;
            while (true)
            {
                Transport.Lock.Acquire();
                if (_udp == null) { Transport.Lock.Release(); return -Abi.Errno.ENOTCONN; }   // never bound: nothing can arrive
                if (_readShut) { Transport.Lock.Release(); return 0; }
                int n = _udp.Dequeue(buffer, out uint from, out ushort fromPort);
                ulong seen = Changes;
                Transport.Lock.Release();
                if (n != -Abi.Errno.EAGAIN)
                {
                    sender.Address = from;
                    sender.Port = fromPort;
                    return n;
                }
                if (!WaitForChange(seen)) return -Abi.Errno.EINTR;
            }
        }
    }
}
