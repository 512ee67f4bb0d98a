namespace Abi
{
    /// <summary>
    /// The numbers of the socket calls (syscalls 140-149; kernel/Net/Sockets, guide chapter 13). TeachOS
    /// keeps Linux's values, so they read the same as in a Unix program, but its addresses are plain
    /// host-order numbers (10.0.2.15 is 0x0A00020F, port 80 is 80): no htons, no sockaddr casts.
    /// </summary>
    public static class SocketDomain
    {
        public const int Inet = 2;            // AF_INET: IPv4, the only family TeachOS has
    }

    public static class SocketType
    {
        public const int Stream = 1;          // SOCK_STREAM: TCP, a byte stream
        public const int Datagram = 2;        // SOCK_DGRAM: UDP, messages
    }

    public static class SocketShutdown
    {
        public const int Read = 0, Write = 1, Both = 2;   // SHUT_RD, SHUT_WR, SHUT_RDWR
    }

    /// <summary>An IPv4 address and a port, as accept, recvfrom, getsockname and getpeername give them.</summary>
    public struct SocketAddress
    {
        public uint Address;
        public int Port;
    }
}
