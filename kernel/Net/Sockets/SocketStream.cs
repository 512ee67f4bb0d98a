using System;
using Net.Tcp;
using TeachOS.Boundary;

namespace Net.Sockets
{
    /// <summary>
    /// A stream (TCP) socket's calls: listen and accept on the server's side, connect on the client's,
    /// then read and write until shutdown or close. Each takes the transport lock, asks the connection,
    /// and waits for a change while the answer is -EAGAIN.
    /// </summary>
    public sealed partial class Socket
    {
        [MayBlock]
        public long Listen(int backlog)
        {
            if (!IsStream) return -Abi.Errno.EOPNOTSUPP;
            Transport.Lock.Acquire();
            long result = 0;
            if (_connection != null) result = -Abi.Errno.EISCONN;
            else if (_listener == null)
            {
                if (_boundPort == 0) result = BindLocked(0, 0);       // Linux too binds an unbound listener to an ephemeral port
                if (result == 0)
                {
                    _listener = _stack.Tcp.Listen(_boundAddress, _boundPort, backlog, out int error);
                    if (_listener == null) result = -error; else _listener.Owner = this;
                }
            }
            Transport.Lock.Release();
            return result;
        }

        /// <summary>accept: the next established connection, as a new socket; waits for one.</summary>
        [MayBlock]
        public long Accept(out Socket accepted, out Abi.SocketAddress peer)
        {
            accepted = null;
            peer = default;
            if (!IsStream) return -Abi.Errno.EOPNOTSUPP;
            while (true)
            {
                Transport.Lock.Acquire();
                if (_listener == null) { Transport.Lock.Release(); return -Abi.Errno.EINVAL; }
                TcpConnection connection = _listener.Accept();
                if (connection != null)
                {
                    accepted = new Socket(connection, _stack);
                    peer.Address = connection.RemoteAddress;
                    peer.Port = connection.RemotePort;
                    Transport.Lock.Release();
                    return 0;
                }
                ulong seen = Changes;
                Transport.Lock.Release();
                if (!WaitForChange(seen)) return -Abi.Errno.EINTR;
            }
        }

        /// <summary>connect for TCP: send the SYN and wait until the handshake ends one way or the other.</summary>
        [MayBlock]
        private long ConnectStream(uint address, int port)
        {
            if (!Ipv4.Route(_stack, address, out NetworkInterface through, out uint nextHop, out uint source))
                return -Abi.Errno.ENETUNREACH;
            Transport.Lock.Acquire();
            if (_connection != null || _listener != null)
            {
                Transport.Lock.Release();
                return _listener != null ? -Abi.Errno.EINVAL : -Abi.Errno.EISCONN;
            }
            _connection = _stack.Tcp.Connect(source, _boundPort, address, (ushort)port, out int error);
            if (_connection == null) { Transport.Lock.Release(); return -error; }
            _boundPort = 0;                                    // the connection owns the port now
            _connection.Owner = this;
            Transport.Lock.Release();
            Transport.KickTimer();
            while (true)
            {
                Transport.Lock.Acquire();
                TcpState state = _connection.State;
                int failure = _connection.Error;
                ulong seen = Changes;
                Transport.Lock.Release();
                if (state == TcpState.Closed) return -(failure != 0 ? failure : Abi.Errno.ECONNREFUSED);
                if (state != TcpState.SynSent && state != TcpState.SynReceived) return 0;
                if (!WaitForChange(seen)) return -Abi.Errno.EINTR;
            }
        }

        [MayBlock]
        private long ReadStream(Span<byte> buffer)
        {
            while (true)
            {
                Transport.Lock.Acquire();
                if (_connection == null) { Transport.Lock.Release(); return -Abi.Errno.ENOTCONN; }
                int n = _readShut ? 0 : _connection.Receive(buffer);
                ulong seen = Changes;
                Transport.Lock.Release();
                if (n != -Abi.Errno.EAGAIN) return n;
                if (!WaitForChange(seen)) return -Abi.Errno.EINTR;
            }
        }

        /// <summary>Writes all of <paramref name="data"/>, waiting for room in the send buffer as a pipe does.</summary>
        [MayBlock]
        private long WriteStream(ReadOnlySpan<byte> data)
        {
            int written = 0;
            while (written < data.Length)
            {
                Transport.Lock.Acquire();
                if (_connection == null) { Transport.Lock.Release(); return -Abi.Errno.ENOTCONN; }
                int n = _connection.Send(data.Slice(written));
                ulong seen = Changes;
                Transport.Lock.Release();
                if (n > 0) { written += n; continue; }
                if (n != -Abi.Errno.EAGAIN) return written > 0 ? written : n;
                if (!WaitForChange(seen)) return written > 0 ? written : -Abi.Errno.EINTR;
            }
            return written;
        }

        /// <summary>shutdown: Write sends the FIN after the data; Read makes further reads end of file.</summary>
        [MayBlock]
        public long Shutdown(int how)
        {
            if (how < Abi.SocketShutdown.Read || how > Abi.SocketShutdown.Both) return -Abi.Errno.EINVAL;
            Transport.Lock.Acquire();
            long result = 0;
            bool connected = IsStream ? _connection != null : _udp != null && _udp.IsConnected;
            if (!connected) result = -Abi.Errno.ENOTCONN;
            else
            {
                if (how != Abi.SocketShutdown.Write) _readShut = true;
                if (how != Abi.SocketShutdown.Read && _connection != null) _connection.Shutdown();
            }
            Transport.Lock.Release();
            Wake();                                           // readers blocked on this socket see the end
            return result;
        }
    }
}
