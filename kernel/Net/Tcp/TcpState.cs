namespace Net.Tcp
{
    /// <summary>
    /// The states of a TCP connection, with RFC 793's names (section 3.2, figure 6). A connection walks
    /// them in one of a few orders:
    ///   active open:  Closed → SynSent → Established
    ///   passive open: Listen → SynReceived → Established (the listener stays in Listen; each handshake
    ///                 is a connection of its own, kernel/Net/Tcp/TcpListener.cs)
    ///   we close first:   Established → FinWait1 → FinWait2 → TimeWait → Closed
    ///   the peer closes:  Established → CloseWait → LastAck → Closed
    ///   both at once:     FinWait1 → Closing → TimeWait → Closed
    /// A reset (RST) from any state goes straight to Closed.
    /// </summary>
    public enum TcpState
    {
        Closed,
        Listen,
        SynSent,        // our SYN is out; waiting for the peer's SYN and its acknowledgment of ours
        SynReceived,    // the peer's SYN came and our SYN+ACK is out; waiting for its ACK
        Established,    // both directions open: data flows
        FinWait1,       // we closed: our FIN is queued or out, not yet acknowledged
        FinWait2,       // our FIN is acknowledged; the peer may still send until its FIN
        CloseWait,      // the peer's FIN came: no more data arrives; we may still send until we close
        Closing,        // both FINs crossed: waiting for the acknowledgment of ours
        LastAck,        // the peer closed first and we then closed: waiting for the acknowledgment of our FIN
        TimeWait,       // both sides are done; we wait 2 MSL so a late segment of this connection cannot
                        // be taken for one of the next connection between the same two ports, and so
                        // we can acknowledge the peer's FIN again if our last ACK was lost
    }
}
