namespace Net
{
    /// <summary>
    /// Why the stack dropped a packet. Every received frame is hostile until checked: each check that
    /// fails drops the frame and counts it under its reason (NetworkStack.CountDrop), so `net` and the
    /// tests can see what arrived malformed, and nothing in a frame can make the kernel panic.
    /// </summary>
    public enum DropReason
    {
        NoBuffer,                // the packet pool was empty
        EthernetTruncated,       // shorter than the 14-byte Ethernet header
        EthernetNotForUs,        // another station's unicast address, or a multicast we did not join
        EthernetUnknownType,     // neither IPv4 nor ARP
        ArpMalformed,            // truncated, or not Ethernet/IPv4 sizes
        ArpUnsupported,          // an operation other than request and reply
        ArpUnresolved,           // a queued datagram whose next hop never answered ARP
        Ipv4Truncated,           // shorter than a 20-byte header, or than its own header length
        Ipv4BadVersion,
        Ipv4BadChecksum,
        Ipv4BadLength,           // total length outside header length .. frame length
        Ipv4Fragment,            // TeachOS does not reassemble fragments
        Ipv4NotForUs,            // another host's address (TeachOS does not forward)
        Ipv4BadSource,           // from a broadcast or multicast address, which no host has
        Ipv4UnknownProtocol,     // no transport registered for the protocol number
        Ipv4NoRoute,             // a datagram to send had no route
        IcmpTruncated,
        IcmpBadChecksum,
        IcmpUnhandledType,       // an ICMP message other than echo request and reply
        IcmpUnexpectedReply,     // an echo reply nobody waits for (late, or forged)
        TcpInjectedLoss,         // a TCP segment thrown away on purpose: the tcp-loss debug knob (Sockets/InjectedLoss.cs)
        Count
    }

    public static class DropReasons
    {
        public static string Name(DropReason reason) => reason switch
        {
            DropReason.NoBuffer => "no packet buffer",
            DropReason.EthernetTruncated => "ethernet truncated",
            DropReason.EthernetNotForUs => "ethernet not for us",
            DropReason.EthernetUnknownType => "ethernet unknown type",
            DropReason.ArpMalformed => "arp malformed",
            DropReason.ArpUnsupported => "arp unsupported operation",
            DropReason.ArpUnresolved => "arp unresolved",
            DropReason.Ipv4Truncated => "ipv4 truncated",
            DropReason.Ipv4BadVersion => "ipv4 bad version",
            DropReason.Ipv4BadChecksum => "ipv4 bad checksum",
            DropReason.Ipv4BadLength => "ipv4 bad length",
            DropReason.Ipv4Fragment => "ipv4 fragment",
            DropReason.Ipv4NotForUs => "ipv4 not for us",
            DropReason.Ipv4BadSource => "ipv4 bad source",
            DropReason.Ipv4UnknownProtocol => "ipv4 unknown protocol",
            DropReason.Ipv4NoRoute => "ipv4 no route",
            DropReason.IcmpTruncated => "icmp truncated",
            DropReason.IcmpBadChecksum => "icmp bad checksum",
            DropReason.IcmpUnhandledType => "icmp unhandled type",
            DropReason.IcmpUnexpectedReply => "icmp unexpected reply",
            DropReason.TcpInjectedLoss => "tcp injected loss",
            _ => "?",
        };
    }
}
