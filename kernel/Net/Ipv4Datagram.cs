namespace Net
{
    /// <summary>What IPv4 tells a transport protocol about a datagram it delivers (the header is gone
    /// from the buffer by then): who sent it, to which of our addresses, and where it came in.</summary>
    public readonly struct Ipv4Datagram
    {
        public readonly uint Source;
        public readonly uint Destination;
        public readonly byte Protocol;
        public readonly byte TimeToLive;
        public readonly NetworkInterface ArrivedOn;

        public Ipv4Datagram(uint source, uint destination, byte protocol, byte timeToLive, NetworkInterface arrivedOn)
        {
            Source = source;
            Destination = destination;
            Protocol = protocol;
            TimeToLive = timeToLive;
            ArrivedOn = arrivedOn;
        }

        public NetworkStack Stack => ArrivedOn.Stack;

        /// <summary>Sent to a broadcast address: never answered with an error or an echo (RFC 1122, 3.2.2).</summary>
        public bool IsBroadcast => Destination == Ipv4Address.Broadcast || Destination == ArrivedOn.SubnetBroadcast;
    }
}
