using System;
using Abi;
using TeachOS;

/// <summary>
/// nettest: the test program of the net assignment (docs/assignments/net.md), in which the student
/// writes the virtio-net driver's Transmit and Receive (kernel/Drivers/VirtioNet.cs). Everything it
/// does crosses the card: pings to QEMU's user-network gateway, 10.0.2.2, which QEMU answers itself,
/// and UDP datagrams to an echo server the grader runs on the host (checks.sh), which the gateway
/// reaches at the host's 127.0.0.1 and the port given as `--echo-port PORT` before the grader's own
/// arguments. Each part counts what came back, byte for byte, against what went out.
/// </summary>
public static unsafe class NetTest
{
    private const uint Gateway = (10u << 24) | (0u << 16) | (2u << 8) | 2u;   // 10.0.2.2
    private const int MaximumPayload = 1472;                                 // 1500 - IPv4 20 - UDP 8
    private static int s_echoPort = -1;

    public static int Main(string[] args)
    {
        // `--echo-port PORT` comes before the grader's `--secret SECRET PART...`: take it off.
        int first = 0;
        if (args.Length >= 2 && args[0] == "--echo-port")
        {
            if (!int.TryParse(args[1], out s_echoPort)) s_echoPort = -1;
            first = 2;
        }
        string[] rest = new string[args.Length - first];
        for (int i = first; i < args.Length; i++) rest[i - first] = args[i];
        return Grade.Run(rest, new[]
        {
            new GradePart { Name = "ping", Body = &PingTheGateway },
            new GradePart { Name = "udp-echo", Body = &UdpEcho },
            new GradePart { Name = "many", Body = &ManyPings },
            new GradePart { Name = "no-leak", Body = &NothingLeaks },
        });
    }

    // ---- ping ---------------------------------------------------------------------------------------

    // Pings the gateway up to `count` times, one after the other; stops after `giveUpAfter` unanswered
    // in a row (a driver that has stopped would otherwise cost a second each). Returns the answered.
    private static int Pings(int count, int sequenceBase, int timeout, int giveUpAfter)
    {
        int answered = 0, missedInARow = 0;
        for (int i = 0; i < count && missedInARow < giveUpAfter; i++)
        {
            long result = Sys.Ping(Gateway, 0x4E54, (sequenceBase + i) & 0xFFFF, 56, timeout, out EchoReply reply);
            if (result == 0) { answered++; missedInARow = 0; }
            else missedInARow++;
        }
        return answered;
    }

    private static void PingTheGateway()
    {
        // The first ping also resolves the gateway's MAC address (ARP): a frame out and one in.
        int answered = Pings(5, 1, 2000, 5);
        Grade.Check("ping-gateway", answered == 5, "5 pings to 10.0.2.2 (ARP first), " + answered + " answered");
    }

    private static void ManyPings()
    {
        // 600 round trips: many times the 32 buffers of each queue and more than the rings' 256 slots,
        // so every buffer is used again and both rings' indices wrap around.
        const int Count = 600;
        NetworkInterfaceStatus before = Card(), after;
        long started = Sys.Uptime();
        int answered = Pings(Count, 1000, 1000, 3);
        long took = Sys.Uptime() - started;
        after = Card();
        Grade.Check("many-pings", answered == Count,
            Count + " pings back to back, " + answered + " answered in " + took + " ms (a driver that stops after " +
            "32 frames each way has not reused its buffers)");
        ulong sent = after.SentFrames - before.SentFrames, received = after.ReceivedFrames - before.ReceivedFrames;
        Grade.Check("many-frames-counted", sent >= Count && received >= Count && after.SendDrops == before.SendDrops,
            "the card's interface counted " + sent + " frames sent and " + received + " received, " +
            (after.SendDrops - before.SendDrops) + " not sent (ring full); expected at least " + Count + " each way and none dropped");
    }

    // ---- UDP echo -----------------------------------------------------------------------------------

    private static int s_socket;
    private static byte[] s_expected = new byte[MaximumPayload];
    private static volatile int s_expectedLength, s_arrived, s_matched;

    private static void Fill(byte[] into, int length, int sequence)
    {
        for (int i = 0; i < length; i++) into[i] = (byte)(sequence * 7 + i * 13 + (i >> 8));
        if (length >= 4) { into[0] = (byte)sequence; into[1] = (byte)(sequence >> 8); into[2] = 0x4E; into[3] = 0x54; }
    }

    // The receiving thread: every datagram that arrives is compared with the one last sent.
    private static int ReceiveEchoes(ulong unused)
    {
        byte[] buffer = new byte[2048];
        while (true)
        {
            long n = Sys.ReceiveFrom(s_socket, buffer, out SocketAddress sender);
            if (n < 0) return 1;
            bool same = n == s_expectedLength && sender.Address == Gateway && sender.Port == s_echoPort;
            for (int i = 0; same && i < n; i++) same = buffer[i] == s_expected[i];
            if (same) s_matched++;
            s_arrived++;
        }
    }

    // Sends `count` datagrams of sizes from 1 byte to the largest one frame holds, each after the
    // echo of the one before came back (or 2 s passed); returns how many came back intact.
    private static int Echoes(int count, out string trouble)
    {
        trouble = "";
        int[] sizes = { 1, 18, 64, 512, 1000, MaximumPayload };
        byte[] datagram = new byte[MaximumPayload];
        int intact = 0;
        for (int sequence = 0; sequence < count; sequence++)
        {
            int length = sizes[sequence % sizes.Length];
            Fill(datagram, length, sequence);
            Fill(s_expected, length, sequence);
            s_expectedLength = length;
            int matchedBefore = s_matched, arrivedBefore = s_arrived;
            long sent = Sys.SendTo(s_socket, new ReadOnlySpan<byte>(datagram, 0, length), Gateway, s_echoPort);
            if (sent != length) { trouble = "; SendTo of datagram " + sequence + " returned " + Grade.Describe(sent); break; }
            long deadline = Sys.Uptime() + 2000;
            while (s_arrived == arrivedBefore && Sys.Uptime() < deadline) Sys.Sleep(1);
            if (s_arrived == arrivedBefore) { trouble = "; datagram " + sequence + " (" + length + " bytes) had no echo within 2 s"; break; }
            if (s_matched == matchedBefore) { trouble = "; the echo of datagram " + sequence + " (" + length + " bytes) differs from it"; break; }
            intact++;
        }
        return intact;
    }

    private static bool OpenEchoSocket()
    {
        if (s_echoPort <= 0)
        {
            Grade.Check("udp-echo", false, "the grader's host echo server did not start (checks.sh needs python3), so there is nothing to echo");
            return false;
        }
        long socket = Sys.Socket(SocketDomain.Inet, SocketType.Datagram, 0);
        if (socket < 0) { Grade.Check("udp-echo", false, "socket(UDP) returned " + Grade.Describe(socket)); return false; }
        s_socket = (int)socket;
        s_arrived = s_matched = 0;
        UserThread.Start(&ReceiveEchoes, 0, "nettest echoes");
        return true;
    }

    private static void UdpEcho()
    {
        const int Count = 300;
        if (!OpenEchoSocket()) return;
        int intact = Echoes(Count, out string trouble);
        Grade.Check("udp-echo", intact == Count,
            Count + " UDP datagrams of 1 to " + MaximumPayload + " bytes to the host's echo server through 10.0.2.2:" + s_echoPort +
            ", " + intact + " echoed intact" + trouble);
        Sys.Close(s_socket);
    }

    // ---- buffers ------------------------------------------------------------------------------------

    private static void NothingLeaks()
    {
        Sys.NetBuffers(out PacketBufferUsage start);
        NetworkInterfaceStatus before = Card();
        int answered = Pings(100, 5000, 1000, 3);
        string trouble = "";
        int echoed = OpenEchoSocket() ? Echoes(100, out trouble) : 0;
        Sys.Sleep(300);                           // the last replies' buffers are freed by the stack's thread
        Sys.NetBuffers(out PacketBufferUsage end);
        NetworkInterfaceStatus after = Card();
        Grade.Check("traffic-flows", answered == 100 && echoed == 100,
            "100 pings (" + answered + " answered) and 100 UDP echoes (" + echoed + " intact" + trouble + ")");
        Grade.Check("buffers-returned", answered == 100 && end.InUse <= start.InUse && end.Exhausted == start.Exhausted,
            "packet buffers in use " + start.InUse + " before and " + end.InUse + " after; the pool ran dry " +
            (end.Exhausted - start.Exhausted) + " times in between (of " + end.Total + ")");
        Grade.Check("nothing-dropped", answered == 100 && after.SendDrops == before.SendDrops && after.ReceiveDrops == before.ReceiveDrops,
            "frames not sent (ring full): " + (after.SendDrops - before.SendDrops) + ", received frames thrown away: " +
            (after.ReceiveDrops - before.ReceiveDrops));
        if (s_echoPort > 0) Sys.Close(s_socket);
    }

    // The card's interface: the first that is not the loopback.
    private static NetworkInterfaceStatus Card()
    {
        for (int i = 0; i < 8; i++)
            if (Sys.NetInterface(i, out NetworkInterfaceStatus status) == 0 && (status.Flags & NetworkInterfaceFlags.Loopback) == 0)
                return status;
        return default;
    }
}
