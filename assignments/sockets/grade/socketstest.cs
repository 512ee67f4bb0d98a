using System;
using Abi;
using TeachOS;

/// <summary>
/// socketstest: the test program of the sockets assignment (docs/assignments/sockets.md), in which the
/// student writes TCP's retransmission timeout: what the connection does when its timer fires with
/// segments unacknowledged (kernel/Net/Tcp/TcpConnectionOutput.cs, Tick) and the timer's exponential
/// backoff (kernel/Net/Tcp/RetransmissionTimer.cs, BackOff). Every connection is over the loopback,
/// 127.0.0.1, both ends in this program; the grader boots the lossy parts with the kernel's debug knob
/// `tcp-loss=PERCENT` (kernel/Net/Sockets/InjectedLoss.cs), which throws away that share of the
/// segments TCP sends and counts them ("tcp injected loss", syscall NetCounter). A part whose
/// connection hangs is stopped by the grader's timeout and its checks fail.
/// </summary>
public static unsafe class SocketsTest
{
    private const uint Loopback = (127u << 24) | 1u;
    private const int TransferBytes = 64 * 1024;

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "clean", Body = &CleanTransfers },
        new GradePart { Name = "handshakes", Body = &LossyHandshakes },
        new GradePart { Name = "lossy-transfer", Body = &LossyTransfers },
        new GradePart { Name = "backoff", Body = &BackOff },
    });

    // ---- the counter of the knob --------------------------------------------------------------------

    private static long InjectedLosses()
    {
        for (int i = 0; Sys.NetCounter(i, out NetworkCounter counter) == 0; i++)
            if (string.FromAscii(counter.Name, counter.NameLength) == "tcp injected loss") return (long)counter.Count;
        return -1;
    }

    // ---- one connection over the loopback -----------------------------------------------------------

    private static volatile int s_clientPort;
    private static volatile int s_clientBytes;
    private static volatile int s_clientError;

    private static byte PatternAt(int connection, int offset) => (byte)(offset * 31 + (offset >> 9) + connection * 101);

    // The client: connects to s_clientPort, writes `s_clientBytes` bytes of the pattern, shuts its side
    // down and reads until the server's end of file; s_clientError: what a failed call returned.
    private static int Client(ulong connection)
    {
        long socket = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        long result = socket < 0 ? socket : Sys.Connect((int)socket, Loopback, s_clientPort);
        byte[] chunk = new byte[4096];
        int offset = 0;
        while (result >= 0 && offset < s_clientBytes)
        {
            int length = Math.Min(chunk.Length, s_clientBytes - offset);
            for (int i = 0; i < length; i++) chunk[i] = PatternAt((int)connection, offset + i);
            int written = 0;
            while (result >= 0 && written < length)
            {
                result = Sys.Write((int)socket, new ReadOnlySpan<byte>(chunk, written, length - written));
                if (result > 0) written += (int)result;
            }
            offset += length;
        }
        if (result >= 0) result = Sys.Shutdown((int)socket, SocketShutdown.Write);
        while (result >= 0 && (result = Sys.Read((int)socket, chunk)) > 0) { }
        if (socket >= 0) Sys.Close((int)socket);
        s_clientError = result < 0 ? (int)result : 0;
        return 0;
    }

    // One connection: a client thread sends `bytes` to this thread, which accepts on `listener`, reads
    // to the end of file checking every byte, then closes. Returns the bytes that arrived in order and
    // intact (-1: accept failed); `error` is what went wrong, or "".
    private static int OneConnection(int listener, int port, int connection, int bytes, out string error)
    {
        error = "";
        s_clientError = 0;
        s_clientPort = port;
        s_clientBytes = bytes;
        int client = UserThread.Start(&Client, (ulong)connection, "socketstest client");
        long accepted = Sys.Accept(listener, out SocketAddress peer);
        if (accepted < 0) { error = "accept returned " + Grade.Describe(accepted); UserThread.Join(client); return -1; }
        byte[] buffer = new byte[4096];
        int intact = 0;
        bool same = true;
        long n;
        while ((n = Sys.Read((int)accepted, buffer)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                if (same && buffer[i] == PatternAt(connection, intact)) intact++;
                else if (same) { same = false; error = "byte " + intact + " differs"; }
            }
        }
        if (n < 0) error = "read returned " + Grade.Describe(n);
        Sys.Close((int)accepted);
        UserThread.Join(client);
        if (s_clientError != 0 && error == "") error = "the client's calls failed: " + Grade.Describe(s_clientError);
        return intact;
    }

    private static int Listen(int port)
    {
        long listener = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        if (listener < 0) return (int)listener;
        long result = Sys.Bind((int)listener, Loopback, port);
        if (result == 0) result = Sys.Listen((int)listener, 8);
        if (result < 0) { Sys.Close((int)listener); return (int)result; }
        return (int)listener;
    }

    // `count` connections of `bytes` each, one after the other; the text says how each went.
    private static bool Transfers(int port, int count, int bytes, out string text)
    {
        text = "";
        int listener = Listen(port);
        if (listener < 0) { text = "listen on 127.0.0.1:" + port + " returned " + Grade.Describe(listener); return false; }
        bool all = true;
        for (int c = 0; c < count; c++)
        {
            long started = Sys.Uptime();
            int intact = OneConnection(listener, port, c, bytes, out string error);
            bool good = intact == bytes && error == "";
            all &= good;
            text += (c == 0 ? "" : "; ") + "connection " + c + ": " + (intact < 0 ? 0 : intact) + " of " + bytes +
                " bytes intact in " + (Sys.Uptime() - started) + " ms" + (error == "" ? "" : " (" + error + ")");
        }
        Sys.Close(listener);
        return all;
    }

    // ---- the parts ----------------------------------------------------------------------------------

    private static void CleanTransfers()
    {
        bool intact = Transfers(7101, 3, TransferBytes, out string text);
        Grade.Check("clean-transfer", intact && InjectedLosses() == 0,
            "without loss, 3 connections of 64 KiB over 127.0.0.1: " + text + "; segments lost on purpose: " + InjectedLosses());
    }

    private static void LossyHandshakes()
    {
        // Connections with no data: SYN, SYN-ACK, ACK, then the FINs. A lost SYN is sent again only
        // by the retransmission timer; a lost SYN-ACK too, by the other end's.
        const int Count = 20;
        long lostBefore = InjectedLosses();
        bool all = Transfers(7201, Count, 1, out string text);
        long lost = InjectedLosses() - lostBefore;
        Grade.Check("lossy-handshakes", all && lost > 0,
            Count + " connections of 1 byte each, " + lost + " segments lost on purpose meanwhile: " + text);
    }

    private static void LossyTransfers()
    {
        long lostBefore = InjectedLosses();
        bool intact = Transfers(7301, 3, TransferBytes, out string text);
        long lost = InjectedLosses() - lostBefore;
        Grade.Check("lossy-transfer", intact && lost > 0,
            "3 connections of 64 KiB, " + lost + " segments lost on purpose meanwhile: " + text);
    }

    // ---- backoff: every segment is lost (tcp-loss=100) -----------------------------------------------

    private static volatile int s_connectResult = 1;

    private static int ConnectForever(ulong port)
    {
        long socket = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        s_connectResult = socket < 0 ? (int)socket : (int)Sys.Connect((int)socket, Loopback, (int)port);
        return 0;
    }

    private static void BackOff()
    {
        // Nothing arrives, so the SYN is sent again each time the timer fires: at 0, then after the
        // initial timeout of 1 s, then 2 s later, then 4 s later, each counted by the knob as it is lost.
        const int Watch = 9000;
        int listener = Listen(7401);
        long before = InjectedLosses();
        long started = Sys.Uptime();
        UserThread.Start(&ConnectForever, 7401, "socketstest connect");
        long[] times = new long[16];
        int seen = 0;
        long last = before;
        while (Sys.Uptime() - started < Watch)
        {
            long now = InjectedLosses();
            for (; last < now; last++)
                if (seen < times.Length) times[seen++] = Sys.Uptime() - started;
            Sys.Sleep(10);
        }
        string when = "";
        for (int i = 0; i < seen; i++) when += (i == 0 ? "" : ", ") + times[i] + " ms";
        string shown = seen + " SYNs sent (and lost) in " + Watch + " ms, at " + (seen == 0 ? "none" : when);
        Grade.Fact("syns-sent", seen);
        Grade.Check("retransmits-repeatedly", seen >= 4, shown + "; expected the SYN and at least 3 retransmissions");
        // The gaps: ~1000, ~2000, ~4000 ms. Each at least 1.6 times the one before, the first near 1 s.
        bool doubling = seen >= 4 && seen <= 5;
        for (int i = 1; doubling && i < 4; i++)
        {
            long gap = times[i] - times[i - 1];
            if (i == 1) doubling = gap >= 800 && gap <= 1600;
            else doubling = gap * 10 >= (times[i - 1] - times[i - 2]) * 16;
        }
        Grade.Check("backs-off", doubling,
            shown + "; expected gaps of about 1, 2 and 4 s (each timeout twice the one before), so 4 SYNs in 9 s");
        Sys.Close(listener);
    }
}
