namespace Net.Tcp
{
    /// <summary>
    /// When to send again what the peer has not acknowledged: the retransmission timeout (RTO) of
    /// RFC 6298. The timeout must be longer than a round trip, or we resend what was only slow; but
    /// not much longer, or a loss stalls the connection. So the timer measures round trips and keeps a
    /// smoothed mean (SRTT) and a mean deviation (RTTVAR); RTO = SRTT + 4·RTTVAR.
    ///   - Karn's rule: a segment that was sent twice gives no sample (which copy did the ACK answer?),
    ///     so the connection only times segments sent once (TcpConnection's _timing).
    ///   - Exponential backoff: each expiry doubles the RTO until an acknowledgment of new data comes,
    ///     so a congested path is given room instead of more copies.
    /// Times are in milliseconds. RFC 6298 says the RTO is at least 1 s; TeachOS, like Linux, uses
    /// 200 ms, so tests on a lossy link finish quickly.
    /// </summary>
    public sealed class RetransmissionTimer
    {
        public const long InitialTimeout = 1000;
        public const long MinimumTimeout = 200;
        public const long MaximumTimeout = 60000;

        private long _smoothedRoundTrip = -1;     // SRTT; -1 until the first sample
        private long _roundTripVariation;         // RTTVAR
        private long _deadline = -1;              // when the timer fires; -1 when it is stopped

        public long Timeout { get; private set; } = InitialTimeout;
        public int Backoffs { get; private set; } // expiries since the last acknowledgment of new data
        public bool Running => _deadline >= 0;

        public void AddSample(long roundTrip)
        {
            if (roundTrip < 1) roundTrip = 1;
            if (_smoothedRoundTrip < 0)
            {
                _smoothedRoundTrip = roundTrip;
                _roundTripVariation = roundTrip / 2;
            }
            else
            {
                long error = _smoothedRoundTrip - roundTrip;
                if (error < 0) error = -error;
                _roundTripVariation = (3 * _roundTripVariation + error) / 4;          // β = 1/4
                _smoothedRoundTrip = (7 * _smoothedRoundTrip + roundTrip) / 8;       // α = 1/8
            }
            Timeout = Clamp(_smoothedRoundTrip + 4 * _roundTripVariation);
        }

        public void Start(long now) => _deadline = now + Timeout;
        public void Stop() => _deadline = -1;
        public bool Expired(long now) => _deadline >= 0 && now >= _deadline;

        /// <summary>The timer fired: double the timeout (RFC 6298, 5.5) and count the expiry.</summary>
        public void BackOff()
        {
            Timeout = Clamp(Timeout * 2);
            Backoffs++;
        }

        /// <summary>New data was acknowledged: the path works, so the backoff ends.</summary>
        public void ResetBackoff() => Backoffs = 0;

        private static long Clamp(long timeout)
            => timeout < MinimumTimeout ? MinimumTimeout : timeout > MaximumTimeout ? MaximumTimeout : timeout;
    }
}
