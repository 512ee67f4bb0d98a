using System;

namespace Net.Tcp
{
    /// <summary>
    /// One TCP connection: the state machine of RFC 793 between a program and the network. This file
    /// holds its state and what the program calls (connect, send, receive, close, abort);
    /// TcpConnectionInput.cs is what a segment from the peer does ("SEGMENT ARRIVES", RFC 793 p. 64),
    /// TcpConnectionOutput.cs what we send and when we send it again.
    ///
    /// The calls never block: they return -EAGAIN when the program would have to wait, and the socket
    /// layer above waits and calls again when TransportEvents says something changed. Nothing here
    /// locks: the caller holds the network lock around every call into TcpLayer and its connections.
    /// </summary>
    public sealed partial class TcpConnection
    {
        public const int BufferSize = 8192;              // each direction; bounds a connection's memory
        public const ushort OurMaximumSegmentSize = 1460; // an Ethernet frame's 1500 bytes less IPv4's and TCP's headers
        public const ushort DefaultMaximumSegmentSize = 536; // what RFC 1122 lets us assume without the option
        public const int MaximumRetransmissions = 8;     // then the connection gives up: ETIMEDOUT
        public const int MaximumSynRetransmissions = 5;
        public const long TimeWaitMilliseconds = 4000;   // 2·MSL with an MSL of 2 s (RFC 793 says 2 min; we are on a LAN)

        private readonly TcpLayer _layer;
        public readonly SendSequenceSpace SendSpace = new SendSequenceSpace(BufferSize);
        public readonly ReceiveSequenceSpace ReceiveSpace = new ReceiveSequenceSpace(BufferSize);
        public readonly RetransmissionTimer Retransmission = new RetransmissionTimer();
        public readonly RenoCongestionControl Congestion = new RenoCongestionControl(DefaultMaximumSegmentSize);

        public TcpState State { get; private set; }
        public uint LocalAddress, RemoteAddress;
        public ushort LocalPort, RemotePort;
        public ushort SegmentSize = DefaultMaximumSegmentSize; // the largest segment we send: the peer's MSS

        /// <summary>Why the connection ended, as an errno the program's next call gets (0: it did not fail).</summary>
        public int Error { get; private set; }

        /// <summary>The listener whose handshake made this connection, until the program accepts it.</summary>
        public TcpListener Listener;
        /// <summary>Whether a program still holds this connection (a socket); when not, the layer frees it once Closed.</summary>
        public bool HeldByProgram;
        /// <summary>Whether the connection chose its local port (connect) and gives it back when it is freed.</summary>
        public bool OwnsLocalPort;
        /// <summary>The socket layer's object for TransportEvents.</summary>
        public object Owner;

        private bool _peerFinished;       // the peer's FIN is in order and consumed: reads end after the data
        private bool _peerFinPending;     // a FIN arrived ahead of missing data
        private uint _peerFinSequence;
        private bool _ackNeeded;          // an acknowledgment is owed to the peer
        private int _duplicateAcks;
        private bool _timing;             // a round-trip sample is being taken (Karn: only of a segment sent once)
        private uint _timedSequence;
        private long _timedSince;
        private long _timeWaitEnds;

        internal TcpConnection(TcpLayer layer, uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort)
        {
            _layer = layer;
            LocalAddress = localAddress; LocalPort = localPort;
            RemoteAddress = remoteAddress; RemotePort = remotePort;
        }

        private long Now => _layer.Output.NowMilliseconds;

        /// <summary>Active open: send a SYN (Closed → SynSent).</summary>
        internal void Connect()
        {
            SendSpace.Start(_layer.ChooseInitialSequence());
            State = TcpState.SynSent;
            Output();
        }

        /// <summary>Passive open: a listener got a SYN; answer with SYN+ACK (Listen → SynReceived, in a new connection).</summary>
        internal void AnswerSyn(in TcpHeader syn)
        {
            ReceiveSpace.Start(syn.Sequence);
            TakePeerSegmentSize(syn.MaximumSegmentSize);
            SendSpace.Start(_layer.ChooseInitialSequence());
            SendSpace.Window = syn.Window;
            State = TcpState.SynReceived;
            Output();
        }

        private void TakePeerSegmentSize(ushort peer)
        {
            ushort size = peer == 0 ? DefaultMaximumSegmentSize : peer;
            SegmentSize = size < OurMaximumSegmentSize ? size : OurMaximumSegmentSize;
            Congestion.Reset(SegmentSize);
        }

        public bool IsSynchronized => State >= TcpState.Established;

        /// <summary>Whether the program may still send: its side is open and the connection is up.</summary>
        public bool CanSend => (State == TcpState.Established || State == TcpState.CloseWait) && !SendSpace.FinQueued;

        /// <summary>Queues data to send; returns the bytes taken, -EAGAIN when the buffer is full or the handshake not done.</summary>
        public int Send(ReadOnlySpan<byte> data)
        {
            if (Error != 0) return -Error;
            if (State == TcpState.SynSent || State == TcpState.SynReceived) return -Abi.Errno.EAGAIN;
            if (!CanSend) return -Abi.Errno.EPIPE;
            if (data.Length == 0) return 0;
            int taken = SendSpace.Buffer.Write(data);
            if (taken == 0) return -Abi.Errno.EAGAIN;
            Output();
            return taken;
        }

        /// <summary>
        /// Takes received bytes; returns how many, 0 at the end of the stream (the peer's FIN was read),
        /// -EAGAIN when nothing is there yet, -errno when the connection failed.
        /// </summary>
        public int Receive(Span<byte> destination)
        {
            if (ReceiveSpace.Readable > 0)
            {
                uint windowBefore = ReceiveSpace.Window;
                int n = ReceiveSpace.Read(destination);
                // The window was (nearly) closed and now opened: tell the peer, or it waits for a probe.
                if (windowBefore < SegmentSize && ReceiveSpace.Window >= SegmentSize) { _ackNeeded = true; Output(); }
                return n;
            }
            if (Error != 0) return -Error;
            if (_peerFinished || State == TcpState.Closed) return 0;
            return -Abi.Errno.EAGAIN;
        }

        /// <summary>Orderly close of our side (shutdown for writing): a FIN follows the queued data.</summary>
        public void Shutdown()
        {
            if (SendSpace.FinQueued) return;
            switch (State)
            {
                case TcpState.SynSent:
                    Terminate(0);                         // nothing was said yet: just forget it
                    return;
                case TcpState.SynReceived:
                case TcpState.Established:
                    SendSpace.FinQueued = true;
                    State = TcpState.FinWait1;
                    break;
                case TcpState.CloseWait:
                    SendSpace.FinQueued = true;
                    State = TcpState.LastAck;
                    break;
                default:
                    return;
            }
            Output();
        }

        /// <summary>
        /// The program lets go of the connection (close of the socket). Unread data means the program
        /// did not take all the peer said, so, like Linux, we reset instead of pretending an orderly end.
        /// </summary>
        public void Release()
        {
            HeldByProgram = false;
            TcpLayer layer = _layer;
            if (ReceiveSpace.Readable > 0 && State != TcpState.Closed) Abort();
            else Shutdown();
            layer.FreeFinished();                   // last: it may free this connection
        }

        /// <summary>Abortive close: send RST and forget everything (RFC 793, "ABORT Call").</summary>
        public void Abort()
        {
            if (State == TcpState.SynReceived || State == TcpState.Established || State == TcpState.FinWait1
                || State == TcpState.FinWait2 || State == TcpState.CloseWait)
                SendBare(SendSpace.Next, 0, TcpHeader.Rst);
            Terminate(0);
        }

        /// <summary>Enters Closed, recording why, and tells whoever waits.</summary>
        private void Terminate(int error)
        {
            if (error != 0 && Error == 0) Error = error;
            if (State == TcpState.SynReceived && Listener != null) Listener.HandshakeFailed(this);
            State = TcpState.Closed;
            Retransmission.Stop();
            _layer.Notify(this);
            // Not freed here: code up the stack may still look at it. The layer frees finished
            // connections when it is done with a segment, a tick or a close (TcpLayer.FreeFinished).
        }

        /// <summary>Gives the connection's memory back (TcpLayer, when it leaves the table).</summary>
        internal void Free()
        {
            SendSpace.Free();
            ReceiveSpace.Free();
            Mem.KernelHeap.Free(Retransmission);
            Mem.KernelHeap.Free(Congestion);
            Mem.KernelHeap.Free(_segment);
            Mem.KernelHeap.Free(this);
        }

        private void SetState(TcpState state)
        {
            State = state;
            _layer.Notify(this);
        }
    }
}
