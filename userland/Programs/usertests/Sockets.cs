using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for sockets (kernel/Net/Sockets, syscalls 140-149) over the loopback interface:
/// a TCP echo whose bytes come back intact and in order, a UDP echo with its sender's address, every
/// refusal (bad family, type, protocol, ports out of range, bad pointers, calls in the wrong state),
/// a flood of connections that fills a listener's backlog and is refused, and processes killed while
/// they wait in accept and in recv, a reader that closes in the middle of a transfer. Each test counts
/// the network's packet buffers before and after.
/// </summary>
public static unsafe partial class UserTests
{
    private const uint Loopback = 0x7F000001;            // 127.0.0.1

    private static int PacketBuffersInUse()
    {
        Sys.NetBuffers(out PacketBufferUsage usage);
        return usage.InUse;
    }

    // Packet buffers are given back once the receive threads have run: wait a little for them.
    private static void ExpectPacketBuffersBack(int before, string what)
    {
        for (int i = 0; i < 100 && PacketBuffersInUse() != before; i++) Sys.Sleep(10);
        Expect(PacketBuffersInUse(), before, what + ": every packet buffer is back in the pool");
    }

    private static long Listening(int port, int backlog)
    {
        long server = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        Expect(Sys.Bind((int)server, Loopback, port), 0, "bind 127.0.0.1:" + port);
        Expect(Sys.Listen((int)server, backlog), 0, "listen");
        return server;
    }

    private static void TcpEchoOverLoopback()
    {
        int buffersBefore = PacketBuffersInUse();
        long server = Listening(7101, 4);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            // The echo server: one connection, every byte back, until the client's FIN.
            long connection = Sys.Accept((int)server, out SocketAddress unused);
            if (connection < 0) Sys.Exit(1);
            byte[] chunk = new byte[1500];
            long n;
            while ((n = Sys.Read((int)connection, chunk)) > 0)
                if (Sys.Write((int)connection, new ReadOnlySpan<byte>(chunk, 0, (int)n)) != n) Sys.Exit(2);
            Sys.Exit(n == 0 ? 0 : 3);
        }
        Sys.Close((int)server);
        long client = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        Expect(Sys.Connect((int)client, Loopback, 7101), 0, "connect to the echo server");
        Expect(Sys.GetPeerName((int)client, out SocketAddress peer), 0, "getpeername");
        Check(peer.Address == Loopback && peer.Port == 7101, "the peer is 127.0.0.1:7101");
        Expect(Sys.GetSocketName((int)client, out SocketAddress local), 0, "getsockname");
        Check(local.Port >= 49152 && local.Port <= 65535, "connect chose an ephemeral port: " + local.Port);

        const int Total = 24000, Chunk = 1000;
        byte[] sent = new byte[Chunk], back = new byte[Chunk];
        bool intact = true;
        for (int offset = 0; offset < Total; offset += Chunk)
        {
            for (int i = 0; i < Chunk; i++) sent[i] = (byte)((offset + i) * 7 + 3);
            if (Sys.Write((int)client, sent) != Chunk) { intact = false; break; }
            int got = 0;
            while (got < Chunk)
            {
                long n = Sys.Read((int)client, new Span<byte>(back, got, Chunk - got));
                if (n <= 0) break;
                got += (int)n;
            }
            for (int i = 0; i < Chunk; i++) if (got != Chunk || back[i] != sent[i]) intact = false;
            if (!intact) break;
        }
        Check(intact, "24000 bytes come back intact and in order");
        Expect(Sys.Shutdown((int)client, SocketShutdown.Write), 0, "shutdown(write): the server reads end of file");
        Expect(WaitFor(pid), 0, "the echo server saw the end and exited");
        Expect(Sys.Read((int)client, back), 0, "and its close is our end of file");
        Expect(Sys.Write((int)client, sent), -Errno.EPIPE, "a write after shutdown: -EPIPE");
        Sys.Close((int)client);
        ExpectPacketBuffersBack(buffersBefore, "TCP echo");
    }

    private static void UdpEchoOverLoopback()
    {
        int buffersBefore = PacketBuffersInUse();
        long server = Sys.Socket(SocketDomain.Inet, SocketType.Datagram, 0);
        Expect(Sys.Bind((int)server, 0, 7102), 0, "bind UDP port 7102");
        long client = Sys.Socket(SocketDomain.Inet, SocketType.Datagram, 0);
        Expect(Sys.SendTo((int)client, Bytes("ping one"), Loopback, 7102), 8, "sendto binds an ephemeral port and sends");
        Expect(Sys.SendTo((int)client, Bytes("two"), Loopback, 7102), 3, "a second datagram");
        byte[] buffer = new byte[64];
        Expect(Sys.ReceiveFrom((int)server, buffer, out SocketAddress sender), 8, "recvfrom takes one datagram whole");
        Check(buffer[0] == (byte)'p' && buffer[7] == (byte)'e', "its bytes");
        Expect(Sys.GetSocketName((int)client, out SocketAddress clientName), 0, "getsockname of the client");
        Check(sender.Address == Loopback && sender.Port == clientName.Port, "recvfrom names the sender: 127.0.0.1 and the client's port");
        Expect(Sys.ReceiveFrom((int)server, buffer, out sender), 3, "boundaries are kept: the next datagram alone");
        Expect(Sys.SendTo((int)server, Bytes("pong"), sender.Address, sender.Port), 4, "the echo back to the sender");
        Expect(Sys.Read((int)client, buffer), 4, "read works on a datagram socket");
        Expect(Sys.Connect((int)client, Loopback, 7102), 0, "connect a UDP socket: a default destination");
        Expect(Sys.Write((int)client, Bytes("abc")), 3, "write sends to it");
        Expect(Sys.Read((int)server, buffer), 3, "and it arrives");
        Expect(Sys.SendTo((int)client, new byte[2049], Loopback, 7102), -Errno.EMSGSIZE, "a datagram larger than a frame: -EMSGSIZE");
        Sys.Close((int)client);
        Sys.Close((int)server);
        ExpectPacketBuffersBack(buffersBefore, "UDP echo");
    }

    private static void SocketRefusals()
    {
        Expect(Sys.Socket(99, SocketType.Stream, 0), -Errno.EAFNOSUPPORT, "a family other than IPv4: -EAFNOSUPPORT");
        Expect(Sys.Socket(SocketDomain.Inet, 7, 0), -Errno.EINVAL, "an unknown type: -EINVAL");
        Expect(Sys.Socket(SocketDomain.Inet, SocketType.Stream, 17), -Errno.EPROTONOSUPPORT, "UDP's number on a stream: -EPROTONOSUPPORT");
        long tcp = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 6);
        Check(tcp >= 0, "socket(inet, stream, 6)");
        Expect(Sys.Bind((int)tcp, 0, 65536), -Errno.EINVAL, "bind to port 65536: -EINVAL");
        Expect(Sys.Bind((int)tcp, 0, -1), -Errno.EINVAL, "bind to port -1: -EINVAL");
        Expect(Sys.Bind((int)tcp, 0x01020304, 7103), -Errno.EADDRNOTAVAIL, "bind to an address not ours: -EADDRNOTAVAIL");
        Expect(Sys.Read((int)tcp, new byte[4]), -Errno.ENOTCONN, "read on an unconnected socket: -ENOTCONN");
        Expect(Sys.GetPeerName((int)tcp, out SocketAddress unused), -Errno.ENOTCONN, "getpeername: -ENOTCONN");
        Expect(Sys.Shutdown((int)tcp, SocketShutdown.Write), -Errno.ENOTCONN, "shutdown: -ENOTCONN");
        Expect(Sys.Accept((int)tcp, out unused), -Errno.EINVAL, "accept on a socket not listening: -EINVAL");
        Expect(Sys.Connect((int)tcp, Loopback, 7104), -Errno.ECONNREFUSED, "connect to a port nobody listens on: -ECONNREFUSED");
        Expect(Sys.Connect((int)tcp, Loopback, 0), -Errno.EINVAL, "connect to port 0: -EINVAL");
        Sys.Close((int)tcp);

        long first = Listening(7105, 2);
        long second = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        Expect(Sys.Bind((int)second, 0, 7105), -Errno.EADDRINUSE, "bind to a port taken: -EADDRINUSE");
        Expect(Sys.Call(SyscallNumbers.Accept, (ulong)first, KernelAddress), -Errno.EFAULT, "accept into a kernel address: -EFAULT");
        Expect(Sys.Call(SyscallNumbers.GetSocketName, (ulong)first, UnmappedAddress), -Errno.EFAULT, "getsockname into nothing: -EFAULT");
        Expect(Sys.Call(SyscallNumbers.SendTo, (ulong)second, KernelAddress, 4, Loopback, 7105), -Errno.EFAULT, "sendto from a kernel address: -EFAULT");
        Sys.Close((int)second);
        Sys.Close((int)first);
        long reuse = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        Expect(Sys.Bind((int)reuse, 0, 7105), 0, "the port is free again after close");
        Sys.Close((int)reuse);

        long udp = Sys.Socket(SocketDomain.Inet, SocketType.Datagram, 0);
        Expect(Sys.Listen((int)udp, 1), -Errno.EOPNOTSUPP, "listen on UDP: -EOPNOTSUPP");
        Expect(Sys.Write((int)udp, Bytes("x")), -Errno.EDESTADDRREQ, "write on an unconnected UDP socket: -EDESTADDRREQ");
        Expect(Sys.SendTo((int)udp, Bytes("x"), Loopback, 0), -Errno.EINVAL, "sendto port 0: -EINVAL");
        Expect(Sys.Call(SyscallNumbers.ReceiveFrom, (ulong)udp, KernelAddress, 16, 0), -Errno.EFAULT, "recvfrom into a kernel address: -EFAULT");
        Sys.Close((int)udp);
        Expect(Sys.Bind(0, 0, 80), -Errno.ENOTSOCK, "bind on the console: -ENOTSOCK");
        Expect(Sys.Listen(99, 1), -Errno.EBADF, "listen on a closed descriptor: -EBADF");
    }

    /// <summary>A local program floods a listener that never accepts: the backlog fills and more are refused.</summary>
    private static void ConnectionFlood()
    {
        int buffersBefore = PacketBuffersInUse();
        long server = Listening(7106, 3);
        const int Attempts = 12;
        long[] clients = new long[Attempts];
        int connected = 0, refused = 0;
        for (int i = 0; i < Attempts; i++)
        {
            clients[i] = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
            long result = Sys.Connect((int)clients[i], Loopback, 7106);
            if (result == 0) connected++;
            else if (result == -Errno.ECONNREFUSED) refused++;
        }
        Expect(connected, 3, "as many connect as the backlog holds");
        Expect(refused, Attempts - 3, "the rest are refused at once, not queued without end");
        for (int i = 0; i < Attempts; i++) Sys.Close((int)clients[i]);
        long accepted = Sys.Accept((int)server, out SocketAddress peer);
        Check(accepted >= 0, "a connection waiting in the backlog is still accepted after its client closed");
        Sys.Close((int)accepted);
        Sys.Close((int)server);
        ExpectPacketBuffersBack(buffersBefore, "the flood");
    }

    /// <summary>Processes blocked in accept and in recv end when killed.</summary>
    private static void KillWhileBlockedInSockets()
    {
        long server = Listening(7107, 2);
        long pid = Sys.Fork();
        if (pid == 0) { Sys.Accept((int)server, out SocketAddress unused); Sys.Exit(5); }
        Check(WaitUntilBlocked(pid), "a child waits in accept");
        Expect(Sys.Kill((int)pid), 0, "kill it");
        Expect(WaitFor(pid), 137, "it ends as killed");

        long client = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        Expect(Sys.Connect((int)client, Loopback, 7107), 0, "connect");
        long connection = Sys.Accept((int)server, out SocketAddress peer);
        pid = Sys.Fork();
        if (pid == 0) { Sys.Read((int)connection, new byte[8]); Sys.Exit(5); }
        Check(WaitUntilBlocked(pid), "a child waits in recv");
        Expect(Sys.Kill((int)pid), 0, "kill it");
        Expect(WaitFor(pid), 137, "it ends as killed");
        Expect(Sys.Write((int)client, Bytes("still")), 5, "the connection works on");
        Expect(Sys.Read((int)connection, new byte[8]), 5, "and the data was not taken by the dead reader");
        Sys.Close((int)connection);
        Expect(Sys.Read((int)client, new byte[8]), 0, "closing one end is the other's end of file");
        Sys.Close((int)client);
        Sys.Close((int)server);
    }

    /// <summary>The reader closes in the middle of a transfer: the writer gets an error, not a hang.</summary>
    private static void CloseMidTransfer()
    {
        int buffersBefore = PacketBuffersInUse();
        long server = Listening(7108, 2);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            long client = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
            if (Sys.Connect((int)client, Loopback, 7108) != 0) Sys.Exit(1);
            byte[] chunk = new byte[4096];
            for (int i = 0; i < 200; i++)                    // 800 KiB: far more than the reader takes
            {
                long n = Sys.Write((int)client, chunk);
                if (n == -Errno.ECONNRESET || n == -Errno.EPIPE) Sys.Exit(0);
                if (n < 0) Sys.Exit(2);
            }
            Sys.Exit(3);                                     // everything went through: the reset never came
        }
        long connection = Sys.Accept((int)server, out SocketAddress peer);
        Check(connection >= 0, "accept the writer");
        Expect(Sys.Read((int)connection, new byte[1000]), 1000, "read a little of it");
        Sys.Sleep(50);                                       // let more arrive, unread
        Sys.Close((int)connection);                          // unread data: the close resets
        Expect(WaitFor(pid), 0, "the writer's next write fails with ECONNRESET or EPIPE instead of waiting for ever");
        Sys.Close((int)server);
        ExpectPacketBuffersBack(buffersBefore, "a transfer cut in the middle");
    }
}
