using Abi;
using TeachOS;

/// <summary>
/// ping HOST [-c COUNT] [-i MILLISECONDS] [-W MILLISECONDS] [-s BYTES]: sends ICMP echo requests to
/// HOST (an IPv4 address) and prints each reply with its round-trip time, as Linux's ping does. COUNT
/// requests (default 4), one every -i milliseconds (default 1000), each waiting -W milliseconds for its
/// reply (default 1000), with -s bytes of data (default 56). The kernel does the sending and the
/// waiting (syscall 135, kernel/Net/EchoRequests.cs). Exit status 0 if any reply came, 1 if none, 2 on
/// a usage error. Try `ping 10.0.2.2` (QEMU's user-network gateway) or `ping 127.0.0.1`.
/// </summary>
public static class PingProgram
{
    public static int Main(string[] args)
    {
        string host = null;
        int count = 4, interval = 1000, timeout = 1000, dataBytes = 56;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            bool hasValue = i + 1 < args.Length;
            if (option == "-c" && hasValue && int.TryParse(args[i + 1], out count) && count > 0) i++;
            else if (option == "-i" && hasValue && int.TryParse(args[i + 1], out interval) && interval >= 0) i++;
            else if (option == "-W" && hasValue && int.TryParse(args[i + 1], out timeout) && timeout > 0) i++;
            else if (option == "-s" && hasValue && int.TryParse(args[i + 1], out dataBytes) && dataBytes >= 0) i++;
            else if (host == null && option.Length > 0 && option[0] != '-') host = option;
            else return Usage();
        }
        if (host == null) return Usage();
        if (!NetworkText.TryParseAddress(host, out uint destination))
        {
            Console.Error("ping: " + host + ": not an IPv4 address (TeachOS has no name lookup)\n");
            return 2;
        }

        string shown = NetworkText.Address(destination);
        Console.WriteLine("PING " + shown + ": " + dataBytes.ToString() + " data bytes");
        int identifier = (int)(Sys.GetPid() & 0xFFFF);
        int received = 0;
        ulong fastest = ulong.MaxValue, slowest = 0, total = 0;
        for (int sequence = 1; sequence <= count; sequence++)
        {
            long result = Sys.Ping(destination, identifier, sequence, dataBytes, timeout, out EchoReply reply);
            if (result == 0)
            {
                received++;
                ulong time = reply.RoundTripMicroseconds;
                total += time;
                if (time < fastest) fastest = time;
                if (time > slowest) slowest = time;
                Console.WriteLine((dataBytes + 8).ToString() + " bytes from " + shown + ": icmp_seq=" + sequence.ToString() +
                    " ttl=" + reply.TimeToLive.ToString() + " time=" + NetworkText.Milliseconds(time) + " ms");
            }
            else if (result == -Errno.ETIMEDOUT)
                Console.WriteLine("no reply from " + shown + ": icmp_seq=" + sequence.ToString() + " (timed out after " + timeout.ToString() + " ms)");
            else
            {
                Files.ReportError("ping", shown, result);
                if (result != -Errno.EAGAIN && result != -Errno.ENOBUFS) return received > 0 ? 0 : 1;
            }
            if (sequence < count && interval > 0) Sys.Sleep(interval);
        }

        Console.WriteLine("--- " + shown + " ping statistics ---");
        int lost = count - received;
        Console.WriteLine(count.ToString() + " packets transmitted, " + received.ToString() + " received, " +
            (lost * 100 / count).ToString() + "% packet loss");
        if (received > 0)
            Console.WriteLine("rtt min/avg/max = " + NetworkText.Milliseconds(fastest) + "/" +
                NetworkText.Milliseconds(total / (ulong)received) + "/" + NetworkText.Milliseconds(slowest) + " ms");
        return received > 0 ? 0 : 1;
    }

    private static int Usage()
    {
        Console.Error("usage: ping HOST [-c COUNT] [-i MILLISECONDS] [-W MILLISECONDS] [-s BYTES]\n");
        return 2;
    }
}
