namespace Net
{
    /// <summary>
    /// A transport protocol above IPv4 (ICMP here; UDP and TCP register the same way): IPv4 reads the
    /// header's protocol number and hands the payload to the protocol registered for it. A protocol
    /// subclasses this and registers itself at boot with <see cref="IpProtocols.Register"/>.
    /// </summary>
    public abstract class IpProtocol
    {
        /// <summary>A datagram's payload (the IPv4 header already stripped and checked), taken over
        /// under PacketBuffer's ownership rule: pass it on or free it, on every path.</summary>
        public abstract void Receive(in Ipv4Datagram datagram, PacketBuffer payload);
    }

    /// <summary>
    /// The table from IPv4 protocol number (IANA "Assigned Internet Protocol Numbers": 1 ICMP, 6 TCP,
    /// 17 UDP) to the protocol that takes it. Filled at boot, read on every datagram: one per kernel,
    /// since protocols are code, while their state (ports, connections) belongs to a NetworkStack.
    /// </summary>
    public static class IpProtocols
    {
        public const byte Icmp = 1;
        public const byte Tcp = 6;
        public const byte Udp = 17;

        private static readonly IpProtocol[] s_table = new IpProtocol[256];

        /// <summary>Makes <paramref name="protocol"/> receive the datagrams numbered <paramref name="number"/> (at boot).</summary>
        public static void Register(byte number, IpProtocol protocol) => s_table[number] = protocol;

        public static IpProtocol For(byte number) => s_table[number];
    }
}
