namespace Net.Tcp
{
    /// <summary>
    /// Congestion control after TCP Reno (RFC 5681): how much a sender may have in flight so it does not
    /// overrun the network between the two ends (the receiver's window protects only the receiver).
    ///   - Slow start: the congestion window (cwnd) starts at one segment and grows by a segment for
    ///     every segment acknowledged, so it doubles each round trip until it reaches ssthresh.
    ///   - Congestion avoidance: past ssthresh it grows by about one segment per round trip.
    ///   - A timeout means the network dropped a lot: ssthresh becomes half of what was in flight and
    ///     cwnd falls back to one segment (slow start again).
    ///   - Three duplicate acknowledgments mean one segment was lost but later ones got through: fast
    ///     retransmit sends the missing one at once, and cwnd halves instead of collapsing. (Reno's
    ///     "fast recovery" also inflates cwnd by the duplicates; TeachOS leaves that refinement out.)
    /// The sender may have min(cwnd, SND.WND) bytes in flight.
    /// </summary>
    public sealed class RenoCongestionControl
    {
        private uint _segmentSize;

        public uint Window { get; private set; }              // cwnd, in bytes
        public uint SlowStartThreshold { get; private set; }  // ssthresh

        public RenoCongestionControl(uint segmentSize) => Reset(segmentSize);

        /// <summary>Starts over with one segment of <paramref name="segmentSize"/> (the handshake tells the size).</summary>
        public void Reset(uint segmentSize)
        {
            _segmentSize = segmentSize;
            Window = segmentSize;
            SlowStartThreshold = 65535;        // "arbitrarily high" at first (RFC 5681, 3.1)
        }

        public bool InSlowStart => Window < SlowStartThreshold;

        public void OnAcknowledged(uint bytes)
        {
            if (InSlowStart) Window += bytes < _segmentSize ? bytes : _segmentSize;
            else
            {
                uint increase = _segmentSize * _segmentSize / Window;   // MSS²/cwnd per ACK: about one MSS per window
                Window += increase > 0 ? increase : 1;
            }
            if (Window > 1u << 20) Window = 1u << 20;
        }

        public void OnTimeout(uint inFlight)
        {
            SlowStartThreshold = HalfOf(inFlight);
            Window = _segmentSize;
        }

        public void OnFastRetransmit(uint inFlight)
        {
            SlowStartThreshold = HalfOf(inFlight);
            Window = SlowStartThreshold;
        }

        private uint HalfOf(uint inFlight)
            => inFlight / 2 > 2 * _segmentSize ? inFlight / 2 : 2 * _segmentSize;
    }
}
