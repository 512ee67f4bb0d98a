using System;

namespace Net.Tcp
{
    /// <summary>
    /// What a connection sends, and when it sends it again.
    ///   - Output sends from SND.NXT whatever the windows allow: the SYN while the handshake is not
    ///     acknowledged, then data in segments of at most the peer's MSS, then the FIN once the
    ///     program closed and every byte is out. min(SND.WND, cwnd) bounds what may be in flight.
    ///   - The retransmission timer runs while anything is in flight. When it fires, the connection
    ///     goes back to SND.UNA and sends everything from there again ("go back N"): simple, and
    ///     the receiver's reassembly drops what it already has. After too many tries it gives up.
    ///   - A window of zero with data waiting is probed with one byte each time the timer fires, so a
    ///     lost window update cannot leave both sides waiting forever.
    /// Every segment but the first SYN carries ACK with RCV.NXT and our window.
    /// </summary>
    public sealed partial class TcpConnection
    {
        private readonly byte[] _segment = new byte[TcpHeader.MinimumLength + 4 + OurMaximumSegmentSize];

        /// <summary>Sends what may be sent now, and an acknowledgment if one is owed and nothing else carried it.</summary>
        internal void Output()
        {
            if (State == TcpState.Closed || State == TcpState.Listen) return;
            bool sent = false;
            while (true)
            {
                uint next = SendSpace.Next;
                int length = SendableFrom(next, probe: false);
                if (length < 0) break;
                SendFrom(next, length);
                sent = true;
            }
            if (_ackNeeded && !sent && State != TcpState.SynSent) SendBare(SendSpace.Next, ReceiveSpace.Next, TcpHeader.Ack);
            _ackNeeded = false;
            if (SendSpace.InFlight > 0 && !Retransmission.Running) Retransmission.Start(Now);
            if (SendSpace.InFlight == 0 && SendSpace.Window == 0 && UnsentBytes > 0 && !Retransmission.Running)
                Retransmission.Start(Now);                        // the persist timer: probe the closed window
        }

        private int UnsentBytes
        {
            get
            {
                uint offset = SendSpace.Next - SendSpace.DataStart;
                if (SequenceNumber.LessThan(SendSpace.Next, SendSpace.DataStart)) offset = 0;
                return offset >= (uint)SendSpace.Buffer.Count ? 0 : SendSpace.Buffer.Count - (int)offset;
            }
        }

        /// <summary>
        /// How many data bytes the segment starting at <paramref name="sequence"/> may carry: -1 when
        /// nothing may be sent from there, 0 for a segment with only a SYN or a FIN.
        /// </summary>
        private int SendableFrom(uint sequence, bool probe)
        {
            if (sequence == SendSpace.InitialSequence) return 0;                    // the SYN
            if (State == TcpState.SynSent || State == TcpState.SynReceived) return -1;
            uint offset = sequence - SendSpace.DataStart;
            int waiting = offset > (uint)SendSpace.Buffer.Count ? 0 : SendSpace.Buffer.Count - (int)offset;
            if (waiting > 0)
            {
                uint limit = SendSpace.Window < Congestion.Window ? SendSpace.Window : Congestion.Window;
                uint inFlight = sequence - SendSpace.Unacknowledged;
                long room = (long)limit - inFlight;
                if (probe && room < 1) room = 1;
                if (room <= 0) return -1;
                int length = waiting < SegmentSize ? waiting : SegmentSize;
                return room < length ? (int)room : length;
            }
            if (SendSpace.FinQueued && sequence == SendSpace.FinSequence) return 0; // the FIN
            return -1;
        }

        /// <summary>Builds and sends the segment starting at <paramref name="sequence"/> with <paramref name="length"/> data bytes.</summary>
        private void SendFrom(uint sequence, int length)
        {
            var header = new TcpHeader { SourcePort = LocalPort, DestinationPort = RemotePort, Sequence = sequence };
            uint end = sequence + (uint)length;
            if (sequence == SendSpace.InitialSequence)
            {
                header.Flags = TcpHeader.Syn;
                header.MaximumSegmentSize = OurMaximumSegmentSize;
                end = sequence + 1;
            }
            else if (length == 0 || (SendSpace.FinQueued && end == SendSpace.FinSequence))
            {
                // The last data and the FIN may share a segment.
                if (SendSpace.FinQueued && end == SendSpace.FinSequence) { header.Flags |= TcpHeader.Fin; end++; }
            }
            if (State != TcpState.SynSent) header.Flags |= TcpHeader.Ack;
            if (length > 0) header.Flags |= TcpHeader.Psh;
            header.Acknowledgment = ReceiveSpace.Next;
            header.Window = (ushort)ReceiveSpace.Window;

            int headerLength = header.Write(_segment);
            if (length > 0) SendSpace.Buffer.Peek((int)(sequence - SendSpace.DataStart), new Span<byte>(_segment, headerLength, length));
            bool sentBefore = SequenceNumber.LessThan(sequence, SendSpace.Highest);
            if (!sentBefore && !_timing) { _timing = true; _timedSequence = sequence; _timedSince = Now; }
            SendSpace.Sent(end);
            _ackNeeded = false;
            _layer.Transmit(this, new Span<byte>(_segment, 0, headerLength + length));
        }

        /// <summary>A segment with flags only (an ACK or a RST), not counted in the send sequence space.</summary>
        private void SendBare(uint sequence, uint acknowledgment, byte flags)
        {
            var header = new TcpHeader
            {
                SourcePort = LocalPort, DestinationPort = RemotePort, Sequence = sequence,
                Acknowledgment = acknowledgment, Flags = flags, Window = (ushort)ReceiveSpace.Window,
            };
            if ((flags & TcpHeader.Rst) != 0 && acknowledgment == 0) header.Acknowledgment = 0;
            int headerLength = header.Write(_segment);
            _layer.Transmit(this, new Span<byte>(_segment, 0, headerLength));
        }

        /// <summary>Three duplicate acknowledgments: send the first unacknowledged segment now.</summary>
        private void FastRetransmit()
        {
            Congestion.OnFastRetransmit(SendSpace.InFlight);
            _timing = false;                                      // Karn: the resent segment gives no sample
            int length = SendableFrom(SendSpace.Unacknowledged, probe: true);
            if (length >= 0) SendFrom(SendSpace.Unacknowledged, length);
        }

        /// <summary>The clock: the retransmission timer and the end of TIME-WAIT. TcpLayer calls it on every tick.</summary>
        internal void Tick()
        {
            long now = Now;
            if (State == TcpState.TimeWait)
            {
                if (now >= _timeWaitEnds) Terminate(0);
                return;
            }
            if (!Retransmission.Expired(now)) return;
            Retransmission.Stop();
            if (SendSpace.InFlight == 0)
            {
                // Nothing lost: the persist timer. Probe the zero window with one byte.
                if (UnsentBytes > 0 && SendSpace.Window == 0)
                {
                    Retransmission.BackOff();
                    SendFrom(SendSpace.Next, SendableFrom(SendSpace.Next, probe: true));
                    Retransmission.Start(now);
                }
                return;
            }
            int limit = IsSynchronized ? MaximumRetransmissions : MaximumSynRetransmissions;
            if (Retransmission.Backoffs >= limit)
            {
                if (IsSynchronized) SendBare(SendSpace.Next, ReceiveSpace.Next, TcpHeader.Rst | TcpHeader.Ack);
                Terminate(Abi.Errno.ETIMEDOUT);
                return;
            }
            Retransmission.BackOff();
            Congestion.OnTimeout(SendSpace.InFlight);
            _timing = false;
            _duplicateAcks = 0;
            SendSpace.Next = SendSpace.Unacknowledged;            // go back to the first byte not acknowledged
            // A closed window would stop Output from resending anything: send the first segment as a probe.
            int probeLength = SendableFrom(SendSpace.Next, probe: true);
            if (SendSpace.Window == 0 && probeLength >= 0) SendFrom(SendSpace.Next, probeLength);
            Output();
            Retransmission.Start(now);
        }
    }
}
