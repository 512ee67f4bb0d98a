using System;
using Abi;
using TeachOS;

/// <summary>
/// nc: netcat, the network's cat. `nc HOST PORT` connects to HOST:PORT over TCP; `nc -l PORT` listens on
/// PORT and takes one connection. Either way, what arrives is written to standard output and what is
/// typed (standard input) is sent, until both directions end: end of input sends TCP's FIN
/// (shutdown), and the peer's FIN ends the output. `-u` uses UDP instead: each line read is one
/// datagram; with -l the replies go to whoever sent the last datagram. Two threads copy the two
/// directions, because each read waits (TeachOS has no poll yet). `-q SECONDS` quits that long after the
/// end of input instead of waiting for the peer (UDP never ends otherwise). Exit status 0, 1 on a network
/// error, 2 on a usage error. Try `echo hello | nc 10.0.2.2 7000` with `nc -l 7000` on the host (QEMU's
/// user network takes the guest's 10.0.2.2 to the host's 127.0.0.1), or `nc -l 8080` in TeachOS and
/// `nc localhost 8080` on the host (`make run` forwards the host's port 8080 to the guest's).
/// </summary>
public static unsafe class NetcatProgram
{
    private static int s_socket;
    private static bool s_udp;
    private static SocketAddress s_lastSender;           // UDP server: where replies go

    public static int Main(string[] args)
    {
        bool listen = false;
        string host = null, portText = null;
        int quitAfter = -1;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "-l") listen = true;
            else if (arg == "-u") s_udp = true;
            else if (arg == "-q" && i + 1 < args.Length && int.TryParse(args[i + 1], out quitAfter) && quitAfter >= 0) i++;
            else if (!listen && host == null) host = arg;
            else if (portText == null) portText = arg;
            else return Usage();
        }
        if (!int.TryParse(portText, out int port) || port < 1 || port > 65535) return Usage();
        uint address = 0;
        if (!listen && (host == null || !NetworkText.TryParseAddress(host, out address)))
        {
            Console.Error("nc: " + host + ": not an IPv4 address\n");
            return 2;
        }

        long socket = Sys.Socket(SocketDomain.Inet, s_udp ? SocketType.Datagram : SocketType.Stream, 0);
        if (socket < 0) return Fail("socket", socket);
        s_socket = (int)socket;
        if (listen)
        {
            long bound = Sys.Bind(s_socket, 0, port);
            if (bound < 0) return Fail("bind", bound);
            if (!s_udp)
            {
                long listening = Sys.Listen(s_socket, 1);
                if (listening < 0) return Fail("listen", listening);
                long connection = Sys.Accept(s_socket, out SocketAddress peer);
                if (connection < 0) return Fail("accept", connection);
                Sys.Close(s_socket);
                s_socket = (int)connection;
                Console.Error("nc: connection from " + NetworkText.Address(peer.Address) + ":" + peer.Port.ToString() + "\n");
            }
        }
        else
        {
            long connected = Sys.Connect(s_socket, address, port);
            if (connected < 0) return Fail("connect", connected);
        }

        int receiver = UserThread.Start(&Receive, 0, "nc receive");
        Send(listen && s_udp);
        if (!s_udp) Sys.Shutdown(s_socket, SocketShutdown.Write);
        if (quitAfter >= 0) Sys.Sleep(quitAfter * 1000L);       // -q: the replies have that long to come
        else if (!s_udp) UserThread.Join(receiver);            // TCP: until the peer's end of file
        else while (true) Sys.Sleep(1000000);                  // UDP has no end: until it is killed
        Sys.Close(s_socket);
        return 0;
    }

    // Standard input to the socket: a datagram a line (UDP) or the bytes as they come (TCP).
    private static void Send(bool replyToSender)
    {
        byte[] buffer = new byte[1024];
        long n;
        while ((n = Sys.Read(0, buffer)) > 0)
        {
            var data = new ReadOnlySpan<byte>(buffer, 0, (int)n);
            long sent = replyToSender ? Sys.SendTo(s_socket, data, s_lastSender.Address, s_lastSender.Port) : Sys.Write(s_socket, data);
            if (sent < 0) { Fail("send", sent); return; }
        }
    }

    // The socket to standard output, until the peer's end of file (TCP) or for ever (UDP).
    private static int Receive(ulong unused)
    {
        byte[] buffer = new byte[1500];
        while (true)
        {
            long n = Sys.ReceiveFrom(s_socket, buffer, out SocketAddress sender);
            if (n <= 0) return n == 0 ? 0 : Fail("receive", n);
            if (s_udp) s_lastSender = sender;
            Sys.Write(1, new ReadOnlySpan<byte>(buffer, 0, (int)n));
        }
    }

    private static int Fail(string call, long error)
    {
        Files.ReportError("nc", call, error);
        return 1;
    }

    private static int Usage()
    {
        Console.Error("usage: nc [-u] [-q SECONDS] HOST PORT | nc [-u] [-q SECONDS] -l PORT\n");
        return 2;
    }
}
