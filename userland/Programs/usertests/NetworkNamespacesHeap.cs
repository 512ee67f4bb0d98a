using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// netns-freed's second half: a freed network namespace gives all its kernel memory back (the kernel has no
/// garbage collector; NetworkNamespaces.Tear frees the stack, its tables, its TCP and UDP with the connections
/// still closing in them, its interfaces and their devices). Each round makes a namespace on a bridge (a veth
/// pair, one end moved in), in which TCP connections are left closing (one in TIME-WAIT, one the process exit
/// closes) and the bridge is pinged (ARP rows, learnt MACs); then the namespace, the bridge and a veth pair made
/// and deleted in the root namespace go. The kernel heap's bytes in use (IpcUsage.KernelHeapBytes) must come back.
/// </summary>
public static unsafe partial class UserTests
{
    private const int RoundPort = 7400;

    private static long KernelHeapInUse()
    {
        Sys.IpcUsage(out IpcUsage usage);
        return usage.KernelHeapBytes;
    }

    // One round, all of it made and freed again.
    private static void NamespaceRound(int round)
    {
        string what = "round " + round + ": ";
        Expect(NetworkLinks.AddBridge("utbr0"), 0, what + "net link add utbr0 type bridge");
        Expect(NetworkLinks.SetAddress("utbr0", BridgeNet | 1, 24), 0, what + "net addr add 10.99.0.1/24 dev utbr0");
        Expect(NetworkLinks.SetUp("utbr0", true), 0, what + "net link set utbr0 up");
        long child = PlugIntoTheBridge(0, &ConnectionsLeftClosing, out int hold);
        Sys.Close(hold);
        Expect(WaitFor(child), 0, what + "TCP connections left closing in the namespace, the bridge pinged (else: the failed step)");
        Expect(NetworkLinks.Index("utv0"), -1, what + "the namespace gone, its veth pair is gone too");
        Expect(NetworkLinks.Delete("utbr0"), 0, what + "net link del utbr0");
        Expect(NetworkLinks.AddVethPair("utfree0", "utfree1"), 0, what + "net link add utfree0 type veth peer utfree1");
        Expect(NetworkLinks.SetUp("utfree0", true), 0, what + "net link set utfree0 up");
        Expect(NetworkLinks.Delete("utfree1"), 0, what + "net link del utfree1 (both ends go)");
        Expect(NetworkLinks.Index("utfree0"), -1, what + "utfree0 went with it");
    }

    // In the namespace: one connection over its loopback closed by the client first (the client's end waits in
    // TIME-WAIT, 4 s), one left open for the exit to close; a ping of the bridge. Then exit at once: the
    // namespace goes with those connections still in its TCP.
    private static int ConnectionsLeftClosing(int n)
    {
        long server = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (Sys.Bind((int)server, 0, RoundPort) != 0 || Sys.Listen((int)server, 4) != 0) return 10;
        long client = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (Sys.Connect((int)client, Loopback, RoundPort) != 0) return 11;
        long accepted = Sys.Accept((int)server, out SocketAddress peer);
        if (accepted < 0) return 12;
        if (Sys.Write((int)client, Bytes("bye")) != 3) return 13;
        byte[] got = new byte[8];
        if (Sys.Read((int)accepted, got) != 3) return 14;
        Sys.Close((int)client);                                         // the active close: this end ends in TIME-WAIT
        if (Sys.Read((int)accepted, got) != 0) return 15;               // its FIN arrived
        Sys.Close((int)accepted);
        long open = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (Sys.Connect((int)open, BridgeNet | (uint)(2 + n), RoundPort) != 0) return 16;   // our own veth address
        if (Sys.Ping(BridgeNet | 1, 9, 1, 32, 2000, out EchoReply reply) != 0) return 17;    // over the veth and the bridge
        return 0;                                                       // `open`, its accepted end and the listener: closed by exit
    }

    // The kernel heap after many namespaces, each round freed, is back where it was after the first (the warm-up:
    // the heap's size classes get their first chunks, the wire's and the timers' first rounds). Nothing is allowed over.
    // netns-heap, run alone (its own boot: tests/Integration/NetworkTests.cs): the heap is the whole kernel's,
    // and in the full run the cases before it still have work in flight (connections closing, retransmitting)
    // that allocates and frees while this one counts.
    private static void NetworkNamespacesGiveTheHeapBack() => ExpectNamespacesGiveTheHeapBack(8);

    private static void ExpectNamespacesGiveTheHeapBack(int rounds)
    {
        NamespaceRound(0);
        long before = KernelHeapInUse();
        for (int round = 1; round <= rounds; round++) NamespaceRound(round);
        long after = KernelHeapInUse();
        // A process's last kernel objects (its kernel stack) may be given back a moment after wait returns.
        for (int tries = 0; tries < 50 && after > before; tries++) { Sys.Sleep(20); after = KernelHeapInUse(); }
        Console.WriteLine("  netns-freed: kernel heap in use " + before + " bytes before " + rounds + " rounds, " + after + " after");
        Check(after <= before, "the kernel heap's bytes in use come back after " + rounds + " namespaces with TCP connections, veth pairs and a bridge were freed: "
            + before + " before, " + after + " after (" + (after - before) + " left)");
    }
}
