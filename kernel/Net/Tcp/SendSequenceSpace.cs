using System;

namespace Net.Tcp
{
    /// <summary>
    /// The sending half of a connection (RFC 793, section 3.2, "send sequence space"):
    ///
    ///     acknowledged   |   sent, not acknowledged   |  may be sent (window)  |  may not be sent yet
    ///   -----------------+----------------------------+------------------------+----------------------
    ///                 SND.UNA                      SND.NXT             SND.UNA + SND.WND
    ///
    /// The buffer holds every byte from SND.UNA on: those sent but not acknowledged (kept, because a lost
    /// segment must be sent again) and those the program wrote that are not sent yet. An acknowledgment
    /// moves SND.UNA and frees the bytes before it. The SYN and the FIN take a sequence number each but
    /// are not in the buffer: DataStart is the sequence number of the buffer's first byte (ISS + 1 once
    /// the SYN is sent), and the FIN, when queued, comes right after the buffer's last byte.
    /// SND.WL1 and SND.WL2 remember the segment that last updated SND.WND, so an older segment that
    /// arrives late cannot shrink the window back.
    /// </summary>
    public sealed class SendSequenceSpace
    {
        public readonly ByteRing Buffer;
        public uint InitialSequence;          // ISS
        public uint Unacknowledged;           // SND.UNA
        public uint Next;                     // SND.NXT
        public uint Highest;                  // the highest SND.NXT ever reached (BSD's snd_max): after a
                                              // timeout SND.NXT goes back, but the peer may acknowledge up to here
        public uint Window;                   // SND.WND: what the peer last said it can take
        public uint WindowUpdateSequence;     // SND.WL1
        public uint WindowUpdateAcknowledgment; // SND.WL2
        public uint DataStart;                // the sequence number of Buffer's first byte
        public bool FinQueued;                // the program closed its side: a FIN follows the data

        public SendSequenceSpace(int capacity) { Buffer = new ByteRing(capacity); }

        public void Free()
        {
            Buffer.Free();
            Mem.KernelHeap.Free(this);
        }

        public void Start(uint initialSequence)
        {
            InitialSequence = initialSequence;
            Unacknowledged = initialSequence;
            Next = initialSequence;
            Highest = initialSequence;
            DataStart = initialSequence + 1;
        }

        /// <summary>Sequence number of the FIN: the one after the last byte of data.</summary>
        public uint FinSequence => DataStart + (uint)Buffer.Count;

        /// <summary>Bytes (and SYN, FIN) sent but not yet acknowledged.</summary>
        public uint InFlight => Next - Unacknowledged;

        public bool SynAcknowledged => SequenceNumber.GreaterThan(Unacknowledged, InitialSequence);
        public bool FinAcknowledged => FinQueued && SequenceNumber.GreaterThan(Unacknowledged, FinSequence);

        /// <summary>Whether an acknowledgment number acknowledges something new and nothing we did not send.</summary>
        public bool IsAcceptableAcknowledgment(uint ack)
            => SequenceNumber.LessThan(Unacknowledged, ack) && SequenceNumber.LessOrEqual(ack, Highest);

        /// <summary>Records that a segment ending at <paramref name="end"/> was sent.</summary>
        public void Sent(uint end)
        {
            if (SequenceNumber.GreaterThan(end, Next)) Next = end;
            if (SequenceNumber.GreaterThan(end, Highest)) Highest = end;
        }

        /// <summary>Moves SND.UNA to <paramref name="ack"/> and frees the data bytes it covers; returns how many.</summary>
        public int Acknowledge(uint ack)
        {
            Unacknowledged = ack;
            if (SequenceNumber.GreaterThan(ack, Next)) Next = ack;   // what we went back to resend arrived after all
            int freed = 0;
            if (SequenceNumber.GreaterThan(ack, DataStart))
            {
                uint covered = ack - DataStart;
                freed = covered > (uint)Buffer.Count ? Buffer.Count : (int)covered;
                Buffer.Discard(freed);
                DataStart += (uint)freed;
            }
            return freed;
        }
    }
}
