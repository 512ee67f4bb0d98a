using System;
using Abi;
using TeachOS;

/// <summary>
/// bench's figures for networking (docs/guide/13-a-packets-way.md), `bench net [--echo-port PORT]`: a UDP
/// round trip and TCP throughput over loopback (127.0.0.1, one namespace) and over a bridge and a veth
/// pair (from the root namespace to a child in a network namespace of its own, as `ctr run --net bridge`
/// plugs a container in); TCP connections per second over loopback; with --echo-port, a UDP round trip
/// to the host's echo server (tools/bench.sh runs one on 127.0.0.1; the guest reaches it through QEMU's
/// gateway 10.0.2.2). Times are taken by tools/bench.sh between marks (Mark). `bench net-paths` is the
/// loopback round trip and connection alone: under -icount their cycles are instructions.
/// </summary>
public static unsafe partial class Bench
{
    private const uint Loopback = 0x7F000001, Gateway = 0x0A000202;
    private const uint BridgeNet = 0x0A620700;                  // 10.98.7.0/24: the bridge .1, the child .2
    private const int UdpPort = 7401, TcpPort = 7402;
    private const int UdpRounds = 1001, TcpBytes = 4 << 20, Connections = 100, PathConnections = 51;

    private static int NetworkFigures(string[] args)
    {
        bool pathsOnly = args[0] == "net-paths";
        long server = ServeOnLoopback(pathsOnly);
        if (server < 0) return 1;
        UdpRoundTrip("udp-loopback-roundtrip", Loopback, UdpPort, pathsOnly, "127.0.0.1 to a process echoing on the same stack");
        if (pathsOnly)
        {
            ConnectionRate("tcp-loopback-connection", Loopback, PathConnections, true);
            Sys.Wait((int)server, out int _);
            return 0;
        }
        TcpThroughput("tcp-loopback-throughput", Loopback);
        ConnectionRate("tcp-loopback-connection", Loopback, Connections, false);
        Sys.Kill((int)server);                         // done, or waiting for what a failed figure never sent
        Sys.Wait((int)server, out int done);

        server = ServeOnTheBridge(out int hold);
        if (server > 0)
        {
            UdpRoundTrip("udp-bridge-roundtrip", BridgeNet | 2, UdpPort, false, "root namespace to a child namespace, through a bridge and a veth pair");
            TcpThroughput("tcp-bridge-throughput", BridgeNet | 2);
            Sys.Close(hold);
            Sys.Kill((int)server);
            Sys.Wait((int)server, out done);
        }
        NetworkLinks.Delete("benchbr0");

        if (args.Length == 3 && args[1] == "--echo-port" && int.TryParse(args[2], out int port))
            UdpRoundTrip("udp-host-roundtrip", Gateway, port, false, "to the host's echo server on its 127.0.0.1, through QEMU's user network at 10.0.2.2");
        return 0;
    }

    // A child on the same stack serving ServeFigures; returns its pid once its sockets are bound.
    private static long ServeOnLoopback(bool pathsOnly)
    {
        Sys.Pipe(out PipeDescriptors ready);
        long pid = Sys.Fork();
        if (pid == 0) { Sys.Close(ready.Read); Sys.Exit(ServeFigures(ready.Write, pathsOnly)); }
        Sys.Close(ready.Write);
        byte* one = stackalloc byte[1];
        long got = Sys.Read(ready.Read, new Span<byte>(one, 1));
        Sys.Close(ready.Read);
        if (got != 1) { Console.WriteLine("bench: the network figures' server did not start"); return -1; }
        return pid;
    }

    // A child in a network namespace of its own, 10.98.7.2 on veth benchv0p, whose other end is a port of
    // bridge benchbr0 (10.98.7.1/24 here). It serves ServeFigures, then waits for `hold` to close: its
    // namespace, and the veth pair, go with it.
    private static long ServeOnTheBridge(out int hold)
    {
        hold = -1;
        if (NetworkLinks.AddBridge("benchbr0") != 0 || NetworkLinks.SetAddress("benchbr0", BridgeNet | 1, 24) != 0 || NetworkLinks.SetUp("benchbr0", true) != 0)
        { Console.WriteLine("bench: no bridge: no bridge figures"); return -1; }
        Sys.Pipe(out PipeDescriptors ready);
        Sys.Pipe(out PipeDescriptors go);
        long pid = Sys.Fork();
        byte* one = stackalloc byte[1];
        if (pid == 0)
        {
            Sys.Close(ready.Read); Sys.Close(go.Write);
            if (Sys.Unshare(NamespaceFlags.Network) != 0) Sys.Exit(1);
            Sys.Write(ready.Write, new ReadOnlySpan<byte>(one, 1));
            if (Sys.Read(go.Read, new Span<byte>(one, 1)) != 1) Sys.Exit(2);
            if (NetworkLinks.SetAddress("benchv0p", BridgeNet | 2, 24) != 0 || NetworkLinks.SetUp("benchv0p", true) != 0) Sys.Exit(3);
            int status = ServeFigures(ready.Write, false);
            Sys.Read(go.Read, new Span<byte>(one, 1));                    // end of file: the parent let go
            Sys.Exit(status);
        }
        Sys.Close(ready.Write); Sys.Close(go.Read);
        bool plugged = Sys.Read(ready.Read, new Span<byte>(one, 1)) == 1
            && NetworkLinks.AddVethPair("benchv0", "benchv0p") == 0 && NetworkLinks.SetMaster("benchv0", "benchbr0") == 0
            && NetworkLinks.SetUp("benchv0", true) == 0 && NetworkLinks.MoveToNamespaceOf("benchv0p", (int)pid) == 0
            && Sys.Write(go.Write, new ReadOnlySpan<byte>(one, 1)) == 1
            && Sys.Read(ready.Read, new Span<byte>(one, 1)) == 1;            // its sockets are bound
        Sys.Close(ready.Read);
        hold = go.Write;
        if (!plugged) { Console.WriteLine("bench: the bridge's server did not start: no bridge figures"); Sys.Close(hold); Sys.Wait((int)pid, out int _); return -1; }
        return pid;
    }

    // The server's side of the figures, in order: echoes UdpRounds datagrams, then takes in one TCP
    // stream to its end, then accepts up to Connections connections (each read to its end and closed;
    // the bridge's figures stop before these, and their server is killed waiting for them). For
    // net-paths: the datagrams, then PathConnections connections.
    private static int ServeFigures(int ready, bool pathsOnly)
    {
        long udp = Sys.Socket(SocketDomain.Inet, SocketType.Datagram, 0);
        long listener = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (udp < 0 || listener < 0 || Sys.Bind((int)udp, 0, UdpPort) != 0 || Sys.Bind((int)listener, 0, TcpPort) != 0 || Sys.Listen((int)listener, 8) != 0) return 10;
        byte* one = stackalloc byte[1];
        Sys.Write(ready, new ReadOnlySpan<byte>(one, 1));
        Sys.Close(ready);
        byte[] buffer = new byte[16384];
        for (int i = 0; i < UdpRounds; i++)
        {
            long n = Sys.ReceiveFrom((int)udp, buffer, out SocketAddress sender);
            if (n < 0 || Sys.SendTo((int)udp, new ReadOnlySpan<byte>(buffer, 0, (int)n), sender.Address, sender.Port) != n) return 11;
        }
        Sys.Close((int)udp);
        for (int i = 0; i < (pathsOnly ? PathConnections : 1 + Connections); i++)
        {
            long connection = Sys.Accept((int)listener, out SocketAddress peer);
            if (connection < 0) return 12;
            while (Sys.Read((int)connection, buffer) > 0) { }
            Sys.Close((int)connection);
        }
        Sys.Close((int)listener);
        return 0;
    }

    /// <summary>
    /// A 64-byte datagram to an echo server and its echo back, one at a time: the median of UdpRounds
    /// less one, in cycles (instructions under -icount); between the marks, their time on the host's clock.
    /// </summary>
    private static void UdpRoundTrip(string name, uint address, int port, bool pathsOnly, string what)
    {
        long socket = Sys.Socket(SocketDomain.Inet, SocketType.Datagram, 0);
        if (socket < 0) return;
        byte[] datagram = new byte[64], back = new byte[2048];
        ulong[] samples = new ulong[UdpRounds - 1];
        for (int i = -1; i < UdpRounds - 1; i++)                     // round -1 (which may wait for ARP) not counted
        {
            if (i == 0 && !pathsOnly) Mark("start " + name + "-time");
            ulong start = Timestamp.Read();
            if (Sys.SendTo((int)socket, datagram, address, port) != datagram.Length) { Sys.Close((int)socket); return; }
            if (Sys.ReceiveFrom((int)socket, back, out SocketAddress sender) < 0) { Sys.Close((int)socket); return; }
            if (i >= 0) samples[i] = Timestamp.Read() - start;
        }
        if (!pathsOnly) Mark("done " + name + "-time " + (UdpRounds - 1));
        Sys.Close((int)socket);
        Report(name, Timestamp.Median(samples, UdpRounds - 1), "cycles (" + what + ", 64 bytes, median)");
    }

    private static int s_connectWaits;

    // "bench start NAME" and "bench done NAME COUNT": tools/bench.sh times the work between them on the
    // host's clock. The kernel's millisecond clock counts timer interrupts, which TCG delivers late or
    // not at all while the host is busy, so guest time runs slow exactly when the host is loaded.
    private static void Mark(string what) => Console.WriteLine("bench " + what);

    // A TCP connection to the server's port; retried 10 ms later (counted in s_connectWaits) while the
    // server is not listening yet or the stack has no room for another connection (EAGAIN: the ones just
    // closed still hold theirs).
    private static long ConnectTo(uint address)
    {
        long connected = -Errno.ECONNREFUSED;
        for (int attempt = 0; attempt < 200; attempt++)
        {
            long socket = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
            connected = socket < 0 ? socket : Sys.Connect((int)socket, address, TcpPort);
            if (connected == 0) return socket;
            if (socket >= 0) Sys.Close((int)socket);
            if (connected != -Errno.ECONNREFUSED && connected != -Errno.EAGAIN) return connected;
            s_connectWaits++;
            Sys.Sleep(10);
        }
        return connected;
    }

    /// <summary>
    /// 4 MiB written in 16 KiB writes on one connection, from connect until the server has read it all
    /// (its FIN, after ours, is read here as end of file), between two marks: tools/bench.sh makes MiB/s of it.
    /// </summary>
    private static void TcpThroughput(string name, uint address)
    {
        byte[] chunk = new byte[16384];
        for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)(i * 7);
        Mark("start " + name);
        long socket = ConnectTo(address);
        if (socket < 0) { Console.WriteLine("bench: " + name + ": connect " + Sys.ErrorName(socket)); return; }
        for (int sent = 0; sent < TcpBytes; sent += chunk.Length)
            if (Sys.Write((int)socket, chunk) != chunk.Length) { Sys.Close((int)socket); return; }
        Sys.Shutdown((int)socket, SocketShutdown.Write);
        while (Sys.Read((int)socket, chunk) > 0) { }
        Mark("done " + name + " " + TcpBytes);
        Sys.Close((int)socket);
    }

    /// <summary>
    /// Connections opened and closed one after the other (connect, shutdown, the server's FIN read): the
    /// median cycles of one (instructions under -icount); per second between two marks (NAME-rate),
    /// including any waits for room (ConnectTo), which -waits counts.
    /// </summary>
    private static void ConnectionRate(string name, uint address, int count, bool pathsOnly)
    {
        byte[] buffer = new byte[64];
        ulong[] samples = new ulong[count];
        s_connectWaits = 0;
        if (!pathsOnly) Mark("start " + name + "-rate");
        for (int i = 0; i < count; i++)
        {
            ulong start = Timestamp.Read();
            long socket = ConnectTo(address);
            if (socket < 0) { Console.WriteLine("bench: " + name + ": connect " + i + ": " + Sys.ErrorName(socket)); return; }
            Sys.Shutdown((int)socket, SocketShutdown.Write);
            while (Sys.Read((int)socket, buffer) > 0) { }
            Sys.Close((int)socket);
            samples[i] = Timestamp.Read() - start;
        }
        if (!pathsOnly) Mark("done " + name + "-rate " + count);
        Report(name, Timestamp.Median(samples, count), "cycles (connect, shutdown, the server's FIN, close over 127.0.0.1, median of " + count + ")");
        if (!pathsOnly) Report(name + "-waits", (ulong)s_connectWaits, "waits of 10 ms for room to connect, in those " + count);
    }
}
