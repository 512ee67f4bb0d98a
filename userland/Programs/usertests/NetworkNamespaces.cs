using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for network namespaces, veth pairs and bridges (kernel/Net/NetworkNamespaces.cs,
/// Links.cs, Bridge.cs, VirtualWire.cs; syscalls 150-154): a new namespace has only its loopback, which
/// works, and reaches nothing else (-ENETUNREACH); ports are per namespace; two namespaces on one bridge
/// exchange TCP and ping the bridge's address; when their processes exit the namespaces are freed, with
/// their veth pairs and every packet buffer; the link calls refuse bad names, kinds, pids and moves.
/// Each namespace is a forked child's: usertests itself stays in the root one.
/// </summary>
public static unsafe partial class UserTests
{
    private const uint HostCard = 0x0A00020F;            // 10.0.2.15, the root namespace's eth0
    private const uint BridgeNet = 0x0A630000;           // 10.99.0.0/24: utbr0 is .1, the namespaces .2 and .3
    private const int EchoPort = 7300;

    private static void NetworkNamespaceLoopback()
    {
        int buffersBefore = PacketBuffersInUse();
        long outside = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        Expect(Sys.Bind((int)outside, Loopback, 7201), 0, "bind 127.0.0.1:7201 in the root namespace");
        long child = Sys.Fork();
        if (child == 0) Sys.Exit(InANewNetworkNamespace());
        Expect(WaitFor(child), 0, "in a new network namespace: only lo, up at 127.0.0.1; port 7201 free; TCP over its loopback; nothing else reachable (else: the failed step)");
        Sys.Close((int)outside);
        ExpectPacketBuffersBack(buffersBefore, "a namespace's loopback");
    }

    private static int InANewNetworkNamespace()
    {
        if (Sys.Unshare(NamespaceFlags.Network) != 0) return 1;
        int interfaces = 0;
        for (int i = 0; i < 16; i++) if (Sys.NetInterface(i, out NetworkInterfaceStatus unused) == 0) interfaces++;
        if (interfaces != 1) return 2;
        if (!NetworkLinks.Status("lo", out NetworkInterfaceStatus lo) || lo.Address != Loopback || (lo.Flags & NetworkInterfaceFlags.Up) == 0) return 3;
        if (Sys.NetRoute(1, out NetworkRoute extra) != -Errno.ENOENT) return 4;               // one route: 127/8 on lo
        long server = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (Sys.Bind((int)server, Loopback, 7201) != 0 || Sys.Listen((int)server, 2) != 0) return 5;   // taken outside, free here
        long client = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (Sys.Connect((int)client, Loopback, 7201) != 0) return 6;
        long accepted = Sys.Accept((int)server, out SocketAddress peer);
        if (accepted < 0) return 7;
        if (Sys.Write((int)client, Bytes("inside")) != 6) return 8;
        byte[] got = new byte[16];
        if (Sys.Read((int)accepted, got) != 6 || got[0] != (byte)'i' || got[5] != (byte)'e') return 9;
        long lost = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (Sys.Connect((int)lost, HostCard, 7201) != -Errno.ENETUNREACH) return 10;          // no route to the root's card
        if (Sys.Ping(HostCard, 1, 1, 8, 200, out EchoReply reply) != -Errno.ENETUNREACH) return 11;
        Sys.Close((int)lost);
        Sys.Close((int)accepted);
        Sys.Close((int)client);
        Sys.Close((int)server);
        return 0;
    }

    // Two namespaces, each with a veth whose host end is a port of utbr0 (10.99.0.1/24 in the root namespace):
    // .2 runs an echo server, .3 connects to it, pings the bridge, and finds no route elsewhere.
    private static void NetworkNamespacesOnABridge()
    {
        int buffersBefore = PacketBuffersInUse();
        Expect(NetworkLinks.AddBridge("utbr0"), 0, "net link add utbr0 type bridge");
        Expect(NetworkLinks.SetAddress("utbr0", BridgeNet | 1, 24), 0, "net addr add 10.99.0.1/24 dev utbr0");
        Expect(NetworkLinks.SetUp("utbr0", true), 0, "net link set utbr0 up");
        long server = PlugIntoTheBridge(0, &EchoServerOnTheBridge, out int serverHold);
        long client = PlugIntoTheBridge(1, &EchoClientOnTheBridge, out int clientHold);
        Sys.Close(clientHold);
        Expect(WaitFor(client), 0, "10.99.0.3: connected to 10.99.0.2 over the bridge, 8000 bytes echoed intact, the bridge pinged, port 7300 its own, no route elsewhere (else: the failed step)");
        Sys.Close(serverHold);                    // only now may the server's namespace go: its FIN has reached the client
        Expect(WaitFor(server), 0, "10.99.0.2: served one connection to its end (else: the failed step)");
        Expect(NetworkLinks.Index("utv0"), -1, "the namespace gone, its veth pair is gone too: utv0");
        Expect(NetworkLinks.Index("utv1"), -1, "and utv1");
        Expect(NetworkLinks.Delete("utbr0"), 0, "net link del utbr0");
        ExpectPacketBuffersBack(buffersBefore, "two namespaces on a bridge, freed");
    }

    // Forks a child that unshares its network namespace; then makes veth utvN (a port of utbr0) and utvNp, moved into it.
    // The child runs `body`, then waits until `hold` (a pipe's write end, the caller's to close) is closed before it exits:
    // a namespace goes with its last process, and with it its veth pair and whatever was still on its way through them
    // (as in Linux), so the server must outlive the client's last read of its FIN.
    private static long PlugIntoTheBridge(int n, delegate*<int, int> body, out int hold)
    {
        Sys.Pipe(out PipeDescriptors ready);
        Sys.Pipe(out PipeDescriptors go);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            byte* one = stackalloc byte[1];
            Sys.Close(ready.Read);
            Sys.Close(go.Write);
            if (Sys.Unshare(NamespaceFlags.Network) != 0) Sys.Exit(1);
            Sys.Write(ready.Write, new ReadOnlySpan<byte>(one, 1));
            if (Sys.Read(go.Read, new Span<byte>(one, 1)) != 1) Sys.Exit(2);
            string end = "utv" + n + "p";
            if (NetworkLinks.Index(end) < 0) Sys.Exit(3);
            if (NetworkLinks.SetAddress(end, BridgeNet | (uint)(2 + n), 24) != 0 || NetworkLinks.SetUp(end, true) != 0) Sys.Exit(4);
            int status = body(n);
            Sys.Read(go.Read, new Span<byte>(one, 1));                                // end of file: the caller let go
            Sys.Exit(status);
        }
        byte* signal = stackalloc byte[1];
        Expect(Sys.Read(ready.Read, new Span<byte>(signal, 1)), 1, "child " + n + " unshared its network namespace");
        string host = "utv" + n, inside = host + "p";
        Expect(NetworkLinks.AddVethPair(host, inside), 0, "net link add " + host + " type veth peer " + inside);
        Expect(NetworkLinks.SetMaster(host, "utbr0"), 0, "net link set " + host + " master utbr0");
        Expect(NetworkLinks.SetUp(host, true), 0, "net link set " + host + " up");
        Expect(NetworkLinks.MoveToNamespaceOf(inside, (int)pid), 0, "net link set " + inside + " netns " + pid);
        Expect(NetworkLinks.Index(inside), -1, inside + " has left the root namespace");
        Expect(Sys.Write(go.Write, new ReadOnlySpan<byte>(signal, 1)), 1, "go");
        Sys.Close(ready.Read); Sys.Close(ready.Write); Sys.Close(go.Read);
        hold = go.Write;
        return pid;
    }

    private static int EchoServerOnTheBridge(int n)
    {
        long server = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (Sys.Bind((int)server, 0, EchoPort) != 0 || Sys.Listen((int)server, 2) != 0) return 10;
        long connection = Sys.Accept((int)server, out SocketAddress peer);
        if (connection < 0) return 11;
        if (peer.Address != (BridgeNet | 3)) return 12;
        byte[] chunk = new byte[1500];
        long got;
        while ((got = Sys.Read((int)connection, chunk)) > 0)
            if (Sys.Write((int)connection, new ReadOnlySpan<byte>(chunk, 0, (int)got)) != got) return 13;
        Sys.Close((int)connection);                                                   // our FIN: the client reads its end
        Sys.Close((int)server);
        return got == 0 ? 0 : 14;
    }

    private static int EchoClientOnTheBridge(int n)
    {
        long own = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (Sys.Bind((int)own, 0, EchoPort) != 0) return 10;            // the server's port, free in this namespace
        long client = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        long connected = -1;
        for (int attempt = 0; attempt < 100 && connected != 0; attempt++)
        {
            connected = Sys.Connect((int)client, BridgeNet | 2, EchoPort);
            if (connected == -Errno.ECONNREFUSED) { Sys.Close((int)client); client = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0); Sys.Sleep(20); }
            else if (connected != 0) return 11;
        }
        if (connected != 0) return 12;
        const int Total = 8000, Chunk = 1000;
        byte[] sent = new byte[Chunk], back = new byte[Chunk];
        for (int offset = 0; offset < Total; offset += Chunk)
        {
            for (int i = 0; i < Chunk; i++) sent[i] = (byte)((offset + i) * 13 + 5);
            if (Sys.Write((int)client, sent) != Chunk) return 13;
            int got = 0;
            while (got < Chunk)
            {
                long read = Sys.Read((int)client, new Span<byte>(back, got, Chunk - got));
                if (read <= 0) return 14;
                got += (int)read;
            }
            for (int i = 0; i < Chunk; i++) if (back[i] != sent[i]) return 15;
        }
        if (Sys.Shutdown((int)client, SocketShutdown.Write) != 0) return 16;
        if (Sys.Read((int)client, back) != 0) return 17;
        if (Sys.Ping(BridgeNet | 1, 7, 1, 32, 2000, out EchoReply reply) != 0) return 18;            // the host, on the bridge
        long lost = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (Sys.Connect((int)lost, HostCard, 80) != -Errno.ENETUNREACH) return 19;                   // no default route: nowhere else
        Sys.Close((int)lost);
        Sys.Close((int)client);
        Sys.Close((int)own);
        return 0;
    }

    // More namespaces made and freed than can exist at once (Net/NetworkNamespaces.cs: 32): each one's slot and
    // loopback go with its last process; then namespaces with TCP connections, veth pairs and a bridge, after which
    // the kernel heap must be back where it was.
    private static void NetworkNamespacesFreed()
    {
        int buffersBefore = PacketBuffersInUse();
        int made = 0;
        for (int i = 0; i < 40; i++)
        {
            long child = Sys.Fork();
            if (child == 0)
            {
                if (Sys.Unshare(NamespaceFlags.Network) != 0) Sys.Exit(1);
                if (Sys.Ping(Loopback, 3, i, 8, 1000, out EchoReply reply) != 0) Sys.Exit(2);    // its loopback works
                Sys.Exit(0);
            }
            int status = -1;
            if (child > 0 && Sys.Wait((int)child, out status) == child && status == 0) made++;
        }
        Expect(made, 40, "40 network namespaces made, pinged through their loopback and freed one after another");
        ExpectPacketBuffersBack(buffersBefore, "40 namespaces");
    }

    private static void NetworkLinkRefusals()
    {
        int buffersBefore = PacketBuffersInUse();
        Expect(NetworkLinks.AddVethPair("", "utx"), -Errno.EINVAL, "an empty name");
        Expect(NetworkLinks.AddVethPair("abcdefghijklmnop", "utx"), -Errno.EINVAL, "a name of 16 bytes");
        Expect(NetworkLinks.AddVethPair("a/b", "utx"), -Errno.EINVAL, "a name with '/'");
        Expect(NetworkLinks.AddVethPair("..", "utx"), -Errno.EINVAL, "the name ..");
        Expect(NetworkLinks.AddVethPair("utx", "utx"), -Errno.EINVAL, "a pair with one name twice");
        Expect(NetworkLinks.AddVethPair("lo", "utx"), -Errno.EEXIST, "a name taken (lo)");
        Expect(NetworkLinks.AddBridge("a b"), -Errno.EINVAL, "a bridge name with a space");
        Expect(Sys.NetLinkAdd(9, Bytes("utx"), Bytes("")), -Errno.EINVAL, "an unknown kind");
        Expect(Sys.NetLinkAdd(NetworkLinkKind.Bridge, Bytes("utx"), Bytes("uty")), -Errno.EINVAL, "a bridge with a peer");
        Expect(Sys.NetLinkDelete(99), -Errno.ENODEV, "delete: no interface 99");
        Expect(Sys.NetLinkSetUp(NetworkLinks.Index("lo"), 2), -Errno.EINVAL, "up must be 0 or 1");
        Expect(NetworkLinks.Delete("lo"), -Errno.EOPNOTSUPP, "lo cannot be deleted");
        if (NetworkLinks.Index("eth0") >= 0) Expect(NetworkLinks.Delete("eth0"), -Errno.EOPNOTSUPP, "nor the card");

        Expect(NetworkLinks.AddBridge("utbr1"), 0, "a bridge utbr1");
        Expect(NetworkLinks.AddVethPair("utx0", "utx1"), 0, "a veth pair utx0/utx1");
        Expect(NetworkLinks.AddVethPair("utx0", "uty"), -Errno.EEXIST, "utx0 again");
        Expect(NetworkLinks.SetMaster("utx0", "utx1"), -Errno.EINVAL, "a master that is no bridge");
        Expect(NetworkLinks.SetMaster("utbr1", "utbr1"), -Errno.EINVAL, "a bridge as its own port");
        Expect(NetworkLinks.SetMaster("lo", "utbr1"), -Errno.EINVAL, "lo as a port");
        Expect(NetworkLinks.MoveToNamespaceOf("utx1", 99999), -Errno.ESRCH, "move to a pid that does not exist");
        Expect(NetworkLinks.MoveToNamespaceOf("lo", (int)Sys.GetPid()), -Errno.EINVAL, "move lo");
        Expect(NetworkLinks.MoveToNamespaceOf("utbr1", (int)Sys.GetPid()), -Errno.EINVAL, "move a bridge");
        Expect(NetworkLinks.MoveToNamespaceOf("utx1", (int)Sys.GetPid()), 0, "move into its own namespace: nothing to do");

        // Deleting what is in use: a bridge with a port, a veth with an address and its route.
        Expect(NetworkLinks.SetMaster("utx0", "utbr1"), 0, "utx0 a port of utbr1");
        Check(NetworkLinks.Status("utx0", out NetworkInterfaceStatus port) && port.Master == NetworkLinks.Index("utbr1"), "net link shows its master");
        Expect(NetworkLinks.SetAddress("utx1", 0x0A620001, 24), 0, "10.98.0.1/24 on utx1");
        Expect(NetworkLinks.SetUp("utx0", true) | NetworkLinks.SetUp("utx1", true) | NetworkLinks.SetUp("utbr1", true), 0, "all up");
        Expect(Sys.Ping(0x0A620002, 5, 1, 8, 300, out EchoReply reply), -Errno.ETIMEDOUT, "no one answers at 10.98.0.2: ARP floods the bridge, in vain");
        Expect(NetworkLinks.Delete("utbr1"), 0, "delete the bridge with a port");
        Check(NetworkLinks.Status("utx0", out port) && port.Master == -1, "the port is let go");
        Expect(NetworkLinks.Delete("utx1"), 0, "delete a veth end with an address");
        Expect(NetworkLinks.Index("utx0"), -1, "its other end went with it");
        Expect(NetworkLinks.Delete("utx1"), -Errno.ENODEV, "delete it twice");
        bool routeLeft = false;
        for (int i = 0; Sys.NetRoute(i, out NetworkRoute route) == 0; i++) if (route.Destination == 0x0A620000) routeLeft = true;
        Check(!routeLeft, "the route to 10.98.0.0/24 went with its interface");
        ExpectPacketBuffersBack(buffersBefore, "link refusals (and the ARP request's waiting datagram)");
    }

    // `ctr run --net bridge` (userland/Programs/ctr/ContainerNetwork.cs): the container's own namespace on ctr0,
    // 10.88.0.N with a default route via 10.88.0.1, which it can ping; without --net, the host's network as before.
    // The base image has no net or ping: the host's /bin is bound in at /hostbin.
    private static void ContainerRunOnTheBridge()
    {
        const string Root = "/tmp/ut-netrun";
        int buffersBefore = PacketBuffersInUse();
        bool hadBridge = NetworkLinks.Index("ctr0") >= 0;
        string output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", Root, "images", "import", "/images/base.tar" }, out int status);
        Expect(status, 0, "import base: " + output);
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", Root, "run", "--name", "ut-n1", "--net", "bridge", "-v", "/bin:/hostbin", "base", "/hostbin/net" }, out status);
        Check(status == 0 && output.Contains("inet 10.88.0.") && output.Contains("default via 10.88.0.1 dev ctrc") && !output.Contains("10.0.2.15"),
            "--net bridge: the container sees lo and its veth end, 10.88.0.N, default via 10.88.0.1, not the host's card: " + output);
        Check(NetworkLinks.Status("ctr0", out NetworkInterfaceStatus bridge) && bridge.Address == 0x0A580001 && (bridge.Flags & NetworkInterfaceFlags.Bridge) != 0,
            "ctr0 was made on first use, 10.88.0.1 in the host's namespace");
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", Root, "run", "--name", "ut-n2", "--net", "bridge", "-v", "/bin:/hostbin", "base", "/hostbin/ping", "10.88.0.1", "-c", "1" }, out status);
        Check(status == 0 && output.Contains("from 10.88.0.1"), "the container pings its gateway, the host on ctr0: " + output);
        Expect(NetworkLinks.Index("ctrv0"), -1, "the containers gone, their veth pairs are gone");
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", Root, "run", "--name", "ut-n3", "-v", "/bin:/hostbin", "base", "/hostbin/net", "addr" }, out status);
        bool hostCard = NetworkLinks.Index("eth0") >= 0;
        Check(status == 0 && output.Contains("ctr0") && (!hostCard || output.Contains("10.0.2.15")), "without --net the container uses the host's network, as before: " + output);
        CaptureAll("/bin/ctr", new[] { "ctr", "--root", Root, "run", "--name", "ut-n4", "--net", "none", "base", "true" }, out status);
        Check(status != 0, "--net none is refused (only bridge)");
        string[] names = { "ut-n1", "ut-n2", "ut-n3" };
        for (int i = 0; i < names.Length; i++)
        {
            Capture("/bin/ctr", new[] { "ctr", "--root", Root, "rm", names[i] }, out status);
            Expect(status, 0, "ctr rm " + names[i]);
        }
        if (!hadBridge) Expect(NetworkLinks.Delete("ctr0"), 0, "net link del ctr0");
        Capture("/bin/ctr", new[] { "ctr", "--root", Root, "images", "rm", "base" }, out status);
        Sys.RemoveDirectory(Root + "/containers");
        RemoveEmptyStore(Root);
        ExpectPacketBuffersBack(buffersBefore, "ctr run --net bridge");
    }
}
