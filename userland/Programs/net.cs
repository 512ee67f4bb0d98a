using Abi;
using TeachOS;

/// <summary>
/// net: the network stack's tables, like Linux's `ip` (kernel/Net; syscalls 130-138, links 150-154).
/// Everything is the caller's network namespace's (unshare -n gives a process a new one).
///   net                              interfaces and routes
///   net link                         interfaces: up or down, kind, bridge
///   net link add NAME type veth peer PEER   a veth pair: a cable between two ends (root)
///   net link add NAME type bridge    a bridge: a virtual switch (root)
///   net link del NAME                delete a veth (both ends) or a bridge (root)
///   net link set NAME up|down        (root)
///   net link set NAME netns PID      move a veth end into the network namespace of process PID (root)
///   net link set NAME master BRIDGE  attach it to a bridge; `nomaster` detaches it (root)
///   net addr                         interfaces: addresses, MAC, counters
///   net route                        the routing table
///   net neigh                        the ARP cache
///   net stats                        why packets were dropped, and the packet pool
///   net addr add A.B.C.D/N dev NAME  give an interface an address (root)
///   net route add DEST/N|default via GATEWAY [dev NAME]   add a route (root)
///   net route add DEST/N dev NAME    a route to a network on the link itself (root)
///   net route del DEST/N|default     delete a route (root)
/// </summary>
public static unsafe class NetProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 0) { ShowAddresses(); ShowRoutes(); return 0; }
        string what = args[0];
        if (args.Length == 1)
        {
            if (what == "addr") { ShowAddresses(); return 0; }
            if (what == "link") { ShowLinks(); return 0; }
            if (what == "route") { ShowRoutes(); return 0; }
            if (what == "neigh") { ShowNeighbours(); return 0; }
            if (what == "stats") { ShowCounters(); return 0; }
            return Usage();
        }
        if (what == "addr" && args[1] == "add" && args.Length == 5 && args[3] == "dev") return AddAddress(args[2], args[4]);
        if (what == "link") return Link(args);
        if (what == "route" && args[1] == "add") return AddRoute(args);
        if (what == "route" && args[1] == "del" && args.Length == 3) return DeleteRoute(args[2]);
        return Usage();
    }

    private static int Usage()
    {
        Console.Error("usage: net [addr|link|route|neigh|stats]\n" +
                      "       net link add NAME type veth peer PEER | net link add NAME type bridge | net link del NAME\n" +
                      "       net link set NAME up|down | netns PID | master BRIDGE | nomaster\n" +
                      "       net addr add A.B.C.D/N dev NAME\n" +
                      "       net route add DEST/N|default [via GATEWAY] [dev NAME]\n" +
                      "       net route del DEST/N|default\n");
        return 2;
    }

    private static string NameOf(NetworkInterfaceStatus status) => string.FromAscii(status.Name, status.NameLength);

    private static string InterfaceName(int index) =>
        Sys.NetInterface(index, out NetworkInterfaceStatus status) == 0 ? NameOf(status) : "?";

    private static int InterfaceIndex(string name)
    {
        for (int i = 0; i < 16; i++)
            if (Sys.NetInterface(i, out NetworkInterfaceStatus status) == 0 && NameOf(status) == name) return i;
        return -1;
    }

    private static void ShowAddresses()
    {
        for (int i = 0; i < 16; i++)
        {
            if (Sys.NetInterface(i, out NetworkInterfaceStatus s) != 0) continue;
            Console.WriteLine(s.Index.ToString() + ": " + NameOf(s) + ": " + Flags(s) + "  ether " + NetworkText.Mac(s.Mac));
            if (s.Address != 0) Console.WriteLine("    inet " + NetworkText.Address(s.Address) + "/" + s.PrefixLength.ToString());
            Console.WriteLine("    RX: " + s.ReceivedFrames.ToString() + " frames, " + s.ReceivedBytes.ToString() + " bytes, " + s.ReceiveDrops.ToString() + " dropped");
            Console.WriteLine("    TX: " + s.SentFrames.ToString() + " frames, " + s.SentBytes.ToString() + " bytes, " + s.SendDrops.ToString() + " dropped");
        }
    }

    private static string Flags(NetworkInterfaceStatus s)
    {
        string up = (s.Flags & NetworkInterfaceFlags.Up) != 0 ? ",UP>" : ">";
        return ((s.Flags & NetworkInterfaceFlags.Loopback) != 0 ? "<LOOPBACK" : "<BROADCAST") + up;
    }

    private static void ShowLinks()
    {
        for (int i = 0; i < 16; i++)
        {
            if (Sys.NetInterface(i, out NetworkInterfaceStatus s) != 0) continue;
            string kind = (s.Flags & NetworkInterfaceFlags.Veth) != 0 ? " veth" : (s.Flags & NetworkInterfaceFlags.Bridge) != 0 ? " bridge" : "";
            string master = s.Master >= 0 ? " master " + InterfaceName(s.Master) : "";
            Console.WriteLine(s.Index.ToString() + ": " + NameOf(s) + ": " + Flags(s) + kind + master + " state " +
                ((s.Flags & NetworkInterfaceFlags.Up) != 0 ? "UP" : "DOWN"));
        }
    }

    // link add NAME type veth peer PEER | link add NAME type bridge | link del NAME | link set NAME ...
    private static int Link(string[] args)
    {
        string verb = args[1];
        long result;
        if (verb == "add" && args.Length == 7 && args[3] == "type" && args[4] == "veth" && args[5] == "peer")
            result = NetworkLinks.AddVethPair(args[2], args[6]);
        else if (verb == "add" && args.Length == 5 && args[3] == "type" && args[4] == "bridge") result = NetworkLinks.AddBridge(args[2]);
        else if (verb == "del" && args.Length == 3) result = NetworkLinks.Delete(args[2]);
        else if (verb == "set" && args.Length == 4 && (args[3] == "up" || args[3] == "down")) result = NetworkLinks.SetUp(args[2], args[3] == "up");
        else if (verb == "set" && args.Length == 4 && args[3] == "nomaster") result = NetworkLinks.SetMaster(args[2], null);
        else if (verb == "set" && args.Length == 5 && args[3] == "master") result = NetworkLinks.SetMaster(args[2], args[4]);
        else if (verb == "set" && args.Length == 5 && args[3] == "netns")
        {
            if (!int.TryParse(args[4], out int pid) || pid <= 0) return Bad(args[4], "not a process id");
            result = NetworkLinks.MoveToNamespaceOf(args[2], pid);
        }
        else return Usage();
        if (result == 0) return 0;
        Files.ReportError("net", args[2], result);
        return 1;
    }

    private static void ShowRoutes()
    {
        for (int i = 0; Sys.NetRoute(i, out NetworkRoute route) == 0; i++)
        {
            string destination = route.PrefixLength == 0 && route.Destination == 0
                ? "default" : NetworkText.Address(route.Destination) + "/" + route.PrefixLength.ToString();
            string via = route.Gateway != 0 ? " via " + NetworkText.Address(route.Gateway) : "";
            Console.WriteLine(destination + via + " dev " + InterfaceName(route.InterfaceIndex));
        }
    }

    private static void ShowNeighbours()
    {
        for (int i = 0; Sys.NetNeighbour(i, out NetworkNeighbour n) == 0; i++)
        {
            string state = n.State == 2 ? "REACHABLE " + NetworkText.Mac(n.Mac) : "INCOMPLETE";
            Console.WriteLine(NetworkText.Address(n.Address) + " dev " + InterfaceName(n.InterfaceIndex) + " " + state +
                " (" + n.MillisecondsLeft.ToString() + " ms left)");
        }
    }

    private static void ShowCounters()
    {
        for (int i = 0; Sys.NetCounter(i, out NetworkCounter counter) == 0; i++)
            Console.WriteLine("dropped, " + string.FromAscii(counter.Name, counter.NameLength) + ": " + counter.Count.ToString());
        Sys.NetBuffers(out PacketBufferUsage usage);
        Console.WriteLine("packet buffers: " + usage.InUse.ToString() + " in use, " + usage.MostInUse.ToString() + " at most, " +
            usage.Total.ToString() + " in all, " + usage.Exhausted.ToString() + " times none free");
    }

    private static int AddAddress(string prefix, string device)
    {
        if (!NetworkText.TryParsePrefix(prefix, out uint address, out int length)) return Bad(prefix, "not A.B.C.D/N");
        long result = NetworkLinks.SetAddress(device, address, length);
        if (result == 0) return 0;
        Files.ReportError("net", prefix, result);
        return 1;
    }

    // route add DEST [via GATEWAY] [dev NAME]
    private static int AddRoute(string[] args)
    {
        if (args.Length < 5) return Usage();
        if (!NetworkText.TryParsePrefix(args[2], out uint destination, out int length)) return Bad(args[2], "not A.B.C.D/N or default");
        uint gateway = 0;
        int index = -1;
        for (int i = 3; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) return Usage();
            if (args[i] == "via")
            {
                if (!NetworkText.TryParseAddress(args[i + 1], out gateway)) return Bad(args[i + 1], "not an IPv4 address");
            }
            else if (args[i] == "dev")
            {
                index = InterfaceIndex(args[i + 1]);
                if (index < 0) return Bad(args[i + 1], "no such interface");
            }
            else return Usage();
        }
        long result = Sys.NetRouteAdd(destination, length, gateway, index);
        if (result == 0) return 0;
        Files.ReportError("net", args[2], result);
        return 1;
    }

    private static int DeleteRoute(string prefix)
    {
        if (!NetworkText.TryParsePrefix(prefix, out uint destination, out int length)) return Bad(prefix, "not A.B.C.D/N or default");
        long result = Sys.NetRouteDelete(destination, length);
        if (result == 0) return 0;
        Files.ReportError("net", prefix, result);
        return 1;
    }

    private static int Bad(string what, string why)
    {
        Console.Error("net: " + what + ": " + why + "\n");
        return 2;
    }
}
