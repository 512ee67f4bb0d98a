using System;

namespace Net.Tcp
{
    /// <summary>
    /// TCP as a whole for one network stack: the table of connections and listeners, the TCP port
    /// table, and the demultiplexing of arriving segments ("which connection is this for?").
    ///   - A segment is checked (checksum over the pseudo-header, a header that parses) and then
    ///     matched on its four numbers (addresses and ports) against the connections, then on its
    ///     destination port against the listeners. What matches neither is answered with RST
    ///     (RFC 793's "CLOSED" state), unless it is a RST itself.
    ///   - Tick runs every connection's timers; a connection in Closed that no program holds any more
    ///     leaves the table, and gives back its ephemeral port.
    /// The tables are fixed arrays: a flood of SYNs or connections cannot make them grow.
    /// </summary>
    public sealed class TcpLayer
    {
        public const int MaximumConnections = 128;
        public const int MaximumListeners = 32;

        public readonly TransportOutput Output;
        public TransportEvents Events;
        public readonly PortTable Ports = new PortTable();
        private readonly TcpConnection[] _connections = new TcpConnection[MaximumConnections];
        private readonly TcpListener[] _listeners = new TcpListener[MaximumListeners];
        private readonly byte[] _reset = new byte[TcpHeader.MinimumLength];
        private uint _connectionsMade;

        public int ConnectionCount { get; private set; }
        public int ResetsSent { get; private set; }
        public int SegmentsDropped { get; private set; }      // malformed or failing the checksum

        public TcpLayer(TransportOutput output) { Output = output; }

        /// <summary>
        /// The initial sequence number: RFC 793's clock (one step every 4 µs) plus a step per
        /// connection, so a new connection between the same ports starts past the old one's numbers.
        /// (RFC 6528 adds a secret hash of the four numbers, so an attacker cannot guess it.)
        /// </summary>
        internal uint ChooseInitialSequence() => (uint)(Output.NowMilliseconds * 250) + 64000u * ++_connectionsMade;

        /// <summary>Active open from <paramref name="localAddress"/> on an ephemeral port; null with the errno when it cannot.</summary>
        public TcpConnection Connect(uint localAddress, uint remoteAddress, ushort remotePort, out int error)
            => Connect(localAddress, 0, remoteAddress, remotePort, out error);

        /// <summary>
        /// Active open from <paramref name="localPort"/>, which the caller took in Ports and hands over
        /// to the connection (0: take an ephemeral one). The connection gives the port back when freed.
        /// </summary>
        public TcpConnection Connect(uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort, out int error)
        {
            error = 0;
            if (remotePort == 0) { error = Abi.Errno.EINVAL; return null; }
            int slot = FreeSlot();
            if (slot < 0) { error = Abi.Errno.EAGAIN; return null; }
            int port = localPort;
            if (port == 0) port = Ports.TakeEphemeral();
            if (port < 0) { error = -port; return null; }
            var connection = new TcpConnection(this, localAddress, (ushort)port, remoteAddress, remotePort)
            {
                HeldByProgram = true, OwnsLocalPort = true,
            };
            Add(slot, connection);
            connection.Connect();
            return connection;
        }

        /// <summary>Starts listening on a port the caller has taken in Ports.</summary>
        public TcpListener Listen(uint localAddress, ushort port, int backlog, out int error)
        {
            error = 0;
            for (int i = 0; i < _listeners.Length; i++)
            {
                if (_listeners[i] != null) continue;
                _listeners[i] = new TcpListener(localAddress, port, backlog);
                return _listeners[i];
            }
            error = Abi.Errno.ENOBUFS;
            return null;
        }

        public void CloseListener(TcpListener listener)
        {
            for (int i = 0; i < _listeners.Length; i++) if (_listeners[i] == listener) _listeners[i] = null;
            listener.Closed = true;
            listener.AbortReady();
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (c != null && c.Listener == listener) c.Abort();   // half-open handshakes
            }
            listener.Free();
            FreeFinished();
        }

        /// <summary>A segment from IP: <paramref name="segment"/> is the TCP header and data.</summary>
        public void Receive(uint source, uint destination, ReadOnlySpan<byte> segment)
        {
            if (!TransportChecksum.IsValid(source, destination, TransportChecksum.ProtocolTcp, segment)
                || !TcpHeader.TryParse(segment, out TcpHeader header))
            {
                SegmentsDropped++;
                return;
            }
            ReadOnlySpan<byte> data = segment.Slice(header.HeaderLength);
            TcpConnection connection = Find(destination, header.DestinationPort, source, header.SourcePort);
            if (connection != null) { connection.SegmentArrives(header, data); FreeFinished(); return; }

            TcpListener listener = FindListener(destination, header.DestinationPort);
            if (listener != null)
            {
                if (header.Has(TcpHeader.Rst)) return;                      // a reset to a listener means nothing
                if (header.Has(TcpHeader.Syn) && !header.Has(TcpHeader.Ack))
                {
                    int slot = FreeSlot();
                    if (slot >= 0 && listener.AdmitHandshake())
                    {
                        var fresh = new TcpConnection(this, destination, header.DestinationPort, source, header.SourcePort) { Listener = listener };
                        Add(slot, fresh);
                        fresh.AnswerSyn(header);
                        return;
                    }
                    // The backlog (or the table) is full: refuse, so the client hears at once.
                }
                else if (!header.Has(TcpHeader.Ack)) return;                // neither SYN nor ACK: dropped (RFC 793)
            }
            if (!header.Has(TcpHeader.Rst)) SendReset(source, destination, header, data.Length);
        }

        /// <summary>
        /// RST for a segment nobody wants (RFC 793, "If the state is CLOSED"): if it had an ACK, the
        /// reset takes its sequence number from that ACK; otherwise it acknowledges the segment, so
        /// the sender accepts the reset as an answer to it.
        /// </summary>
        private void SendReset(uint to, uint from, in TcpHeader offending, int dataLength)
        {
            var header = new TcpHeader { SourcePort = offending.DestinationPort, DestinationPort = offending.SourcePort };
            if (offending.Has(TcpHeader.Ack)) { header.Sequence = offending.Acknowledgment; header.Flags = TcpHeader.Rst; }
            else
            {
                uint length = (uint)dataLength + (offending.Has(TcpHeader.Syn) ? 1u : 0u) + (offending.Has(TcpHeader.Fin) ? 1u : 0u);
                header.Acknowledgment = offending.Sequence + length;
                header.Flags = TcpHeader.Rst | TcpHeader.Ack;
            }
            int n = header.Write(_reset);
            TcpHeader.StoreChecksum(_reset, TransportChecksum.Compute(from, to, TransportChecksum.ProtocolTcp, new ReadOnlySpan<byte>(_reset, 0, n)));
            ResetsSent++;
            Output.Send(from, to, TransportChecksum.ProtocolTcp, new ReadOnlySpan<byte>(_reset, 0, n));
        }

        /// <summary>A connection's segment: fill in the checksum and hand it to IP.</summary>
        internal void Transmit(TcpConnection connection, Span<byte> segment)
        {
            TcpHeader.StoreChecksum(segment, TransportChecksum.Compute(connection.LocalAddress, connection.RemoteAddress,
                TransportChecksum.ProtocolTcp, segment));
            Output.Send(connection.LocalAddress, connection.RemoteAddress, TransportChecksum.ProtocolTcp, segment);
        }

        /// <summary>The clock: timers of every connection, and freeing of the finished ones.</summary>
        public void Tick()
        {
            for (int i = 0; i < _connections.Length; i++) _connections[i]?.Tick();
            FreeFinished();
        }

        internal void Notify(TcpConnection connection)
        {
            object owner = connection.Owner ?? connection.Listener?.Owner;
            if (owner != null) Events?.Changed(owner);
        }

        /// <summary>
        /// Frees every connection that is Closed and that no program or listener will ask about again,
        /// giving back its ephemeral port. Called last in each way into the layer (a segment, a tick,
        /// a listener's or a program's close), never while a connection's own code is still running.
        /// </summary>
        internal void FreeFinished()
        {
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection connection = _connections[i];
                if (connection == null || connection.State != TcpState.Closed || connection.HeldByProgram || connection.Listener != null) continue;
                _connections[i] = null;
                ConnectionCount--;
                if (connection.OwnsLocalPort) Ports.Release(connection.LocalPort);
                connection.Free();
            }
        }

        /// <summary>
        /// Frees the layer with what is left in it: its stack is being freed (NetworkNamespaces.cs), so no
        /// socket names any of it (each socket held the stack) and no timer reaches it any more. The
        /// connections left are the ones still closing (TIME-WAIT, FIN-WAIT, LAST-ACK): they are dropped
        /// without a word, as Linux drops them with their namespace (their interfaces are gone already,
        /// so there is nothing to send a RST through). The output (shared with UDP) is the caller's to free.
        /// Call with the transport lock held.
        /// </summary>
        internal void Free()
        {
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection connection = _connections[i];
                if (connection == null) continue;
                _connections[i] = null;
                connection.Free();
            }
            ConnectionCount = 0;
            for (int i = 0; i < _listeners.Length; i++) if (_listeners[i] != null) _listeners[i].Free();
            Mem.KernelHeap.Free(_connections);
            Mem.KernelHeap.Free(_listeners);
            Mem.KernelHeap.Free(_reset);
            Ports.Free();
            Mem.KernelHeap.Free(this);
        }

        private TcpConnection Find(uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort)
        {
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (c != null && c.LocalPort == localPort && c.RemotePort == remotePort
                    && c.RemoteAddress == remoteAddress && c.LocalAddress == localAddress && c.State != TcpState.Closed)
                    return c;
            }
            return null;
        }

        private TcpListener FindListener(uint localAddress, ushort port)
        {
            for (int i = 0; i < _listeners.Length; i++)
            {
                TcpListener l = _listeners[i];
                if (l != null && l.LocalPort == port && (l.LocalAddress == 0 || l.LocalAddress == localAddress)) return l;
            }
            return null;
        }

        private int FreeSlot()
        {
            for (int i = 0; i < _connections.Length; i++) if (_connections[i] == null) return i;
            return -1;
        }

        private void Add(int slot, TcpConnection connection)
        {
            _connections[slot] = connection;
            ConnectionCount++;
        }
    }
}
