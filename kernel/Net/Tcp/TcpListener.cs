namespace Net.Tcp
{
    /// <summary>
    /// A listening socket's side of TCP (RFC 793's LISTEN state): it answers each SYN to its port with a
    /// new connection in SynReceived, and keeps the connections whose handshake finished until the
    /// program accepts them.
    ///
    /// The backlog bounds both together: half-open handshakes plus established connections not yet
    /// accepted. Without the bound a SYN flood (SYNs from addresses that never finish the handshake)
    /// would make a connection, with its buffers, for every SYN, and memory would grow without end;
    /// with it a flood fills the backlog and further SYNs are refused with RST (Linux drops them
    /// silently, or answers with SYN cookies, which keep no state at all). The half-open entries leave
    /// when their SYN+ACK retransmissions run out, so the listener recovers after the flood.
    /// </summary>
    public sealed class TcpListener
    {
        public const int MaximumBacklog = 64;

        private readonly TcpConnection[] _ready;      // established, waiting for accept: a ring
        private int _readyHead, _readyCount;
        public uint LocalAddress;                     // 0: any of our addresses
        public readonly ushort LocalPort;
        public int Backlog => _ready.Length;
        public int HalfOpen { get; private set; }     // handshakes in progress
        public int Refused { get; private set; }      // SYNs turned away because the backlog was full
        public object Owner;                          // the socket layer's object for TransportEvents
        internal bool Closed;

        internal TcpListener(uint localAddress, ushort localPort, int backlog)
        {
            LocalAddress = localAddress;
            LocalPort = localPort;
            if (backlog < 1) backlog = 1;
            if (backlog > MaximumBacklog) backlog = MaximumBacklog;
            _ready = new TcpConnection[backlog];
        }

        public int ReadyCount => _readyCount;

        /// <summary>Whether one more handshake fits in the backlog; counts the refusal when not.</summary>
        internal bool AdmitHandshake()
        {
            if (HalfOpen + _readyCount >= _ready.Length) { Refused++; return false; }
            HalfOpen++;
            return true;
        }

        internal void HandshakeDone(TcpConnection connection)
        {
            HalfOpen--;
            _ready[(_readyHead + _readyCount) % _ready.Length] = connection;
            _readyCount++;
        }

        internal void HandshakeFailed(TcpConnection connection)
        {
            HalfOpen--;
            connection.Listener = null;
        }

        /// <summary>The oldest established connection, now the program's; null when none is ready.</summary>
        public TcpConnection Accept()
        {
            while (_readyCount > 0)
            {
                TcpConnection connection = _ready[_readyHead];
                _ready[_readyHead] = null;
                _readyHead = (_readyHead + 1) % _ready.Length;
                _readyCount--;
                connection.Listener = null;
                connection.HeldByProgram = true;
                return connection;                    // it may have been reset meanwhile: the program's first call sees that
            }
            return null;
        }

        internal void Free()
        {
            Mem.KernelHeap.Free(_ready);
            Mem.KernelHeap.Free(this);
        }

        /// <summary>The listener closes: connections nobody accepted are reset.</summary>
        internal void AbortReady()
        {
            while (_readyCount > 0)
            {
                TcpConnection connection = Accept();
                connection.HeldByProgram = false;
                connection.Abort();
            }
        }
    }
}
