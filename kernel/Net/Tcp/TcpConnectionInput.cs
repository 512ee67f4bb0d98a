using System;

namespace Net.Tcp
{
    /// <summary>
    /// What a segment from the peer does to a connection: RFC 793's "SEGMENT ARRIVES" (pages 64-76),
    /// in its order. First the special case of SynSent; then for every synchronized state: is the
    /// segment inside our receive window, is it a reset, a stray SYN, what does its ACK acknowledge,
    /// its data, its FIN. (Closed and Listen are the layer's and the listener's: TcpLayer.cs.)
    /// </summary>
    public sealed partial class TcpConnection
    {
        internal void SegmentArrives(in TcpHeader header, ReadOnlySpan<byte> data)
        {
            if (State == TcpState.SynSent) { ArrivesInSynSent(header); return; }
            if (State == TcpState.Closed) return;

            // 1. Acceptable? Only what overlaps the receive window is; anything else is old or forged.
            //    An unacceptable segment is answered with an ACK (which tells a confused peer where we
            //    are) unless it is itself a reset, which must never be answered.
            if (!IsAcceptable(header, data.Length))
            {
                if (!header.Has(TcpHeader.Rst)) { _ackNeeded = true; Output(); }
                return;
            }
            // Trim to the window: bytes before RCV.NXT were received already (a retransmission).
            uint sequence = header.Sequence;
            bool syn = header.Has(TcpHeader.Syn), fin = header.Has(TcpHeader.Fin);
            if (syn) { sequence++; syn = false; }                 // the SYN was consumed by the handshake
            uint old = ReceiveSpace.Next - sequence;
            if (SequenceNumber.LessThan(sequence, ReceiveSpace.Next))
            {
                if (old >= (uint)data.Length) { data = ReadOnlySpan<byte>.Empty; }
                else data = data.Slice((int)old);
                sequence = ReceiveSpace.Next;
            }

            // 2. A reset in the window ends the connection.
            if (header.Has(TcpHeader.Rst)) { ResetArrives(); return; }

            // 3. A SYN inside the window of a synchronized connection is an error (RFC 793): reset.
            if (header.Has(TcpHeader.Syn) && header.Sequence != ReceiveSpace.InitialSequence)
            {
                SendBare(SendSpace.Next, 0, TcpHeader.Rst);
                Terminate(Abi.Errno.ECONNRESET);
                return;
            }

            // 4. Every segment after the handshake carries an ACK; one without is dropped.
            if (!header.Has(TcpHeader.Ack)) return;

            // 5. The acknowledgment.
            if (!AcknowledgmentArrives(header, data.Length)) return;

            // 7. The data, in the states where the peer may still send.
            if (data.Length > 0 && (State == TcpState.Established || State == TcpState.FinWait1 || State == TcpState.FinWait2))
            {
                if (ReceiveSpace.Accept(sequence, data) > 0) _layer.Notify(this);
                if (!HeldByProgram && Listener == null) ReceiveSpace.DiscardReadable();   // nobody will read it
                _ackNeeded = true;                                // acknowledge every data segment (no delayed ACK)
            }

            // 8. The FIN: the peer sends no more. It counts only once every byte before it is here.
            if (fin)
            {
                _peerFinPending = true;
                _peerFinSequence = sequence + (uint)data.Length;
                _ackNeeded = true;
            }
            if (_peerFinPending && !_peerFinished && ReceiveSpace.Next == _peerFinSequence) FinArrives();
            else if (State == TcpState.TimeWait && fin) { _timeWaitEnds = Now + TimeWaitMilliseconds; _ackNeeded = true; }

            Output();
        }

        private bool IsAcceptable(in TcpHeader header, int dataLength)
        {
            uint length = (uint)dataLength + (header.Has(TcpHeader.Syn) ? 1u : 0u) + (header.Has(TcpHeader.Fin) ? 1u : 0u);
            uint window = ReceiveSpace.Window, next = ReceiveSpace.Next;
            if (length == 0)
                return window == 0 ? header.Sequence == next : SequenceNumber.InWindow(header.Sequence, next, window);
            if (window == 0) return false;
            return SequenceNumber.InWindow(header.Sequence, next, window)
                || SequenceNumber.InWindow(header.Sequence + length - 1, next, window);
        }

        private void ArrivesInSynSent(in TcpHeader header)
        {
            bool ack = header.Has(TcpHeader.Ack);
            // An ACK for something we never sent belongs to an old connection: reset it, ignore it.
            if (ack && (SequenceNumber.LessOrEqual(header.Acknowledgment, SendSpace.InitialSequence)
                        || SequenceNumber.GreaterThan(header.Acknowledgment, SendSpace.Highest)))
            {
                if (!header.Has(TcpHeader.Rst)) SendBare(header.Acknowledgment, 0, TcpHeader.Rst);
                return;
            }
            if (header.Has(TcpHeader.Rst))
            {
                if (ack) Terminate(Abi.Errno.ECONNREFUSED);     // nobody listens on that port
                return;
            }
            if (!header.Has(TcpHeader.Syn)) return;
            ReceiveSpace.Start(header.Sequence);
            TakePeerSegmentSize(header.MaximumSegmentSize);
            SendSpace.Window = header.Window;
            SendSpace.WindowUpdateSequence = header.Sequence;
            SendSpace.WindowUpdateAcknowledgment = header.Acknowledgment;
            _ackNeeded = true;
            if (ack)
            {
                AcknowledgeNewData(header.Acknowledgment);
                SetState(TcpState.Established);                   // the peer acknowledged our SYN: done
            }
            else
            {
                State = TcpState.SynReceived;                     // both sides opened at once
                SendSpace.Next = SendSpace.InitialSequence;       // send our SYN again, now with an ACK
            }
            Output();
        }

        private void ResetArrives()
        {
            if (State == TcpState.SynReceived && Listener != null) { Terminate(0); return; }   // back to listening
            int error = State == TcpState.SynReceived ? Abi.Errno.ECONNREFUSED
                      : State == TcpState.Closing || State == TcpState.LastAck || State == TcpState.TimeWait ? 0
                      : Abi.Errno.ECONNRESET;
            Terminate(error);
        }

        /// <summary>Step 5: returns false when processing of the segment stops here.</summary>
        private bool AcknowledgmentArrives(in TcpHeader header, int dataLength)
        {
            uint ack = header.Acknowledgment;
            if (State == TcpState.SynReceived)
            {
                if (!SendSpace.IsAcceptableAcknowledgment(ack)) { SendBare(ack, 0, TcpHeader.Rst); return false; }
                SetState(TcpState.Established);
                Listener?.HandshakeDone(this);
            }
            if (SendSpace.IsAcceptableAcknowledgment(ack))
            {
                AcknowledgeNewData(ack);
                UpdateWindow(header);
            }
            else if (SequenceNumber.GreaterThan(ack, SendSpace.Highest))
            {
                _ackNeeded = true; Output();                      // acknowledges what we never sent
                return false;
            }
            else
            {
                // A duplicate: it acknowledges nothing new. Three in a row with no data and the same
                // window say a segment was lost while later ones arrived: fast retransmit.
                if (dataLength == 0 && header.Window == SendSpace.Window && SendSpace.InFlight > 0 && ack == SendSpace.Unacknowledged)
                {
                    if (++_duplicateAcks == 3) FastRetransmit();
                }
                UpdateWindow(header);
            }

            if (State == TcpState.FinWait1 && SendSpace.FinAcknowledged) SetState(TcpState.FinWait2);
            else if (State == TcpState.Closing && SendSpace.FinAcknowledged) EnterTimeWait();
            else if (State == TcpState.LastAck && SendSpace.FinAcknowledged) { Terminate(0); return false; }
            return true;
        }

        private void AcknowledgeNewData(uint ack)
        {
            uint before = SendSpace.Unacknowledged;
            SendSpace.Acknowledge(ack);
            _duplicateAcks = 0;
            if (_timing && SequenceNumber.GreaterThan(ack, _timedSequence))
            {
                Retransmission.AddSample(Now - _timedSince);
                _timing = false;
            }
            Retransmission.ResetBackoff();
            Congestion.OnAcknowledged(ack - before);
            if (SendSpace.InFlight == 0) Retransmission.Stop(); else Retransmission.Start(Now);
            _layer.Notify(this);                                 // room in the send buffer
        }

        private void UpdateWindow(in TcpHeader header)
        {
            if (SequenceNumber.LessThan(SendSpace.WindowUpdateSequence, header.Sequence)
                || (SendSpace.WindowUpdateSequence == header.Sequence
                    && SequenceNumber.LessOrEqual(SendSpace.WindowUpdateAcknowledgment, header.Acknowledgment)))
            {
                SendSpace.Window = header.Window;
                SendSpace.WindowUpdateSequence = header.Sequence;
                SendSpace.WindowUpdateAcknowledgment = header.Acknowledgment;
            }
        }

        private void FinArrives()
        {
            _peerFinished = true;
            ReceiveSpace.Next++;                                  // the FIN takes a sequence number
            _ackNeeded = true;
            switch (State)
            {
                case TcpState.SynReceived:
                case TcpState.Established: SetState(TcpState.CloseWait); break;
                case TcpState.FinWait1:
                    if (SendSpace.FinAcknowledged) EnterTimeWait(); else SetState(TcpState.Closing);
                    break;
                case TcpState.FinWait2: EnterTimeWait(); break;
                default: _layer.Notify(this); break;
            }
        }

        private void EnterTimeWait()
        {
            Retransmission.Stop();
            _timeWaitEnds = Now + TimeWaitMilliseconds;
            SetState(TcpState.TimeWait);
        }
    }
}
