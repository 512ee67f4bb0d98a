using System;
using TeachOS.Boundary;

namespace Abi
{
    /// <summary>The network's system calls (130-159): interfaces, routes, ping, sockets, links. Part of the one table in abi/Syscalls.cs.</summary>
    public partial interface ISyscalls
    {
        // ---- The network (130-139; kernel/Net, guide chapter 13). Addresses are IPv4 numbers in host
        // order (abi/Network.cs); the tables are the caller's network stack's. ----

        /// <summary>netinterface: interface number <paramref name="index"/> of the caller's stack; 0, or -ENODEV past the last.</summary>
        [Syscall(130)] long NetInterface(int index, out NetworkInterfaceStatus status);

        /// <summary>
        /// Gives interface <paramref name="index"/> the address <paramref name="address"/>/<paramref name="prefixLength"/>
        /// (replacing its address and the route of its old subnet, adding the new subnet's). Root only (-EPERM);
        /// -ENODEV, -EINVAL (prefix outside 1..32, address 0, multicast or broadcast).
        /// </summary>
        [Syscall(131)] long NetSetAddress(int index, uint address, int prefixLength);

        /// <summary>netroute: route number <paramref name="index"/>; 0, or -ENOENT past the last.</summary>
        [Syscall(132)] long NetRoute(int index, out NetworkRoute route);

        /// <summary>
        /// Adds the route <paramref name="destination"/>/<paramref name="prefixLength"/> via <paramref name="gateway"/>
        /// (0: on the link) through interface <paramref name="interfaceIndex"/>, or, if it is -1, through the
        /// interface whose subnet holds the gateway. Root only (-EPERM); -EEXIST, -ENOSPC (table full),
        /// -ENODEV, -ENETUNREACH (no interface reaches the gateway), -EINVAL.
        /// </summary>
        [Syscall(133)] long NetRouteAdd(uint destination, int prefixLength, uint gateway, int interfaceIndex);

        /// <summary>Deletes the route for exactly this destination and prefix. Root only (-EPERM); -ESRCH if there is none, -EINVAL.</summary>
        [Syscall(134)] long NetRouteDelete(uint destination, int prefixLength);

        /// <summary>
        /// Sends one ICMP echo request (identifier, sequence, <paramref name="dataBytes"/> 0-1400 bytes of data) and
        /// waits for its reply at most <paramref name="timeoutMilliseconds"/> (1-60000). 0 and the reply; -ETIMEDOUT,
        /// -ENETUNREACH (no route), -ENOBUFS, -EAGAIN (too many pings at once), -EINVAL, -EINTR (killed), -EFAULT.
        /// </summary>
        [Syscall(135)] long Ping(uint destination, int identifier, int sequence, int dataBytes, int timeoutMilliseconds, out EchoReply reply);

        /// <summary>netcounter: drop counter number <paramref name="index"/> (why packets were dropped); 0, or -ENOENT past the last.</summary>
        [Syscall(136)] long NetCounter(int index, out NetworkCounter counter);

        /// <summary>netbuffers: how many packet buffers are in use, at most, in all.</summary>
        [Syscall(137)] long NetBuffers(out PacketBufferUsage usage);

        /// <summary>netneighbour: row number <paramref name="index"/> of the ARP cache; 0, or -ENOENT past the last.</summary>
        [Syscall(138)] long NetNeighbour(int index, out NetworkNeighbour neighbour);

        // ---- Sockets (140-159; kernel/Net/Sockets, docs/guide/13-a-packets-way.md). A socket is a descriptor:
        // read, write and close work on it as on a pipe. Addresses and ports are host-order numbers (abi/Sockets.cs).
        // Calls that wait (accept, connect, read, write, recvfrom) give -EINTR when the process is killed. ----

        /// <summary>
        /// socket: a new socket descriptor. <paramref name="domain"/> SocketDomain.Inet (else -EAFNOSUPPORT),
        /// <paramref name="type"/> SocketType.Stream (TCP) or Datagram (UDP), <paramref name="protocol"/> 0, 6 or 17
        /// matching the type (else -EPROTONOSUPPORT). -EINVAL for another type, -EMFILE.
        /// </summary>
        [Syscall(140)] long Socket(int domain, int type, int protocol);

        /// <summary>
        /// bind: gives the socket a local port (1-65535; 0 chooses an ephemeral one) on <paramref name="address"/>
        /// (0: every address of ours). -EADDRINUSE if taken, -EINVAL for a port out of range or a socket bound already,
        /// -EADDRNOTAVAIL for an address that is not ours, -ENOTSOCK, -EBADF.
        /// </summary>
        [Syscall(141)] long Bind(int descriptor, uint address, int port);

        /// <summary>listen: a bound TCP socket takes connections; at most <paramref name="backlog"/> (1-64) wait to be accepted or are half open. -EOPNOTSUPP for UDP, -EINVAL unbound.</summary>
        [Syscall(142)] long Listen(int descriptor, int backlog);

        /// <summary>accept: waits for a connection on a listening socket; a new descriptor for it, and the peer's address. -EINVAL if not listening.</summary>
        [Syscall(143)] long Accept(int descriptor, out SocketAddress peer);

        /// <summary>
        /// connect: TCP: the three-way handshake to <paramref name="address"/>:<paramref name="port"/>, waiting for it;
        /// -ECONNREFUSED, -ETIMEDOUT, -ENETUNREACH, -EISCONN. UDP: sets the default destination and takes only its datagrams.
        /// </summary>
        [Syscall(144)] long Connect(int descriptor, uint address, int port);

        /// <summary>sendto: one UDP datagram to <paramref name="address"/>:<paramref name="port"/> (binds an ephemeral port first if needed). On TCP the address is ignored: a write.</summary>
        [Syscall(145)] long SendTo(int descriptor, ReadOnlySpan<byte> data, uint address, int port);

        /// <summary>recvfrom: one UDP datagram (waiting for it) and its sender; on TCP a read, with the peer's address.</summary>
        [Syscall(146)] long ReceiveFrom(int descriptor, Span<byte> buffer, out SocketAddress sender);

        /// <summary>shutdown: SocketShutdown.Write sends TCP's FIN (the peer reads end of file); Read makes reads end; Both. -ENOTCONN if not connected.</summary>
        [Syscall(147)] long Shutdown(int descriptor, int how);

        /// <summary>getsockname: the socket's own address and port.</summary>
        [Syscall(148)] long GetSocketName(int descriptor, out SocketAddress local);

        /// <summary>getpeername: the connected peer's address and port; -ENOTCONN.</summary>
        [Syscall(149)] long GetPeerName(int descriptor, out SocketAddress peer);

        // ---- Links (150-157; kernel/Net/Links.cs, guide chapter 13 "A veth pair and a bridge"): virtual interfaces
        // of the caller's network namespace, as Linux's `ip link`. All root only (-EPERM). An interface is named by
        // its index in the caller's stack (netinterface); -ENODEV for one that does not exist. ----

        /// <summary>
        /// Makes a virtual interface called <paramref name="name"/>, down: <paramref name="kind"/> NetworkLinkKind.Veth, a veth
        /// pair whose other end is <paramref name="peerName"/>; Bridge, a bridge (<paramref name="peerName"/> empty). Names are
        /// 1-15 letters, digits, '.', '-', '_'. -EINVAL (a bad name or kind), -EEXIST, -ENOSPC (the interface list is full).
        /// </summary>
        [Syscall(150)] long NetLinkAdd(int kind, ReadOnlySpan<byte> name, ReadOnlySpan<byte> peerName);

        /// <summary>Deletes a veth (both ends, wherever the other is) or a bridge (its ports are let go). -EOPNOTSUPP for lo and the card.</summary>
        [Syscall(151)] long NetLinkDelete(int index);

        /// <summary>Brings interface <paramref name="index"/> up (<paramref name="up"/> 1) or down (0). -EINVAL for another value.</summary>
        [Syscall(152)] long NetLinkSetUp(int index, int up);

        /// <summary>Moves a veth end into the network namespace of process <paramref name="pid"/> (it arrives down, with no
        /// address). -ESRCH (no such process), -EINVAL (not a veth end), -EEXIST (the name is taken there), -ENOSPC.</summary>
        [Syscall(153)] long NetLinkSetNamespace(int index, int pid);

        /// <summary>Makes interface <paramref name="index"/> (a veth end) a port of the bridge <paramref name="bridgeIndex"/>, or of none
        /// (-1). -EINVAL (not a veth end, not a bridge), -ENOSPC (the bridge's ports are all taken).</summary>
        [Syscall(154)] long NetLinkSetMaster(int index, int bridgeIndex);
    }
}
