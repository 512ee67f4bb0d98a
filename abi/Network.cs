using System.Runtime.InteropServices;

namespace Abi
{
    // What the network system calls (130-139) copy out: plain numbers and fixed buffers, as in
    // Structures.cs. IPv4 addresses are 32-bit numbers in host order (10.0.2.15 is 0x0A00020F),
    // MAC addresses the low 48 bits of a ulong, first byte on the wire most significant.

    /// <summary>netinterface: one interface of the caller's network stack, with its counters (`net addr`).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct NetworkInterfaceStatus
    {
        public const int MaximumName = 16;
        public int Index;
        public int Flags;                // NetworkInterfaceFlags
        public uint Address;             // 0 when none
        public int PrefixLength;
        public ulong Mac;
        public ulong ReceivedFrames, ReceivedBytes, SentFrames, SentBytes;
        public ulong ReceiveDrops, SendDrops;
        public int NameLength;
        public fixed byte Name[MaximumName];
        public int Master;               // the index of the bridge it is a port of, or -1
    }

    public static class NetworkInterfaceFlags
    {
        public const int Up = 1;
        public const int Loopback = 8;    // Linux's IFF_LOOPBACK
        public const int Veth = 0x10000;  // one end of a veth pair (TeachOS's own bits: Linux tells kinds apart by rtnetlink)
        public const int Bridge = 0x20000; // a bridge's own interface
    }

    /// <summary>NetLinkAdd's kinds: what `net link add NAME type KIND` makes.</summary>
    public static class NetworkLinkKind
    {
        public const int Veth = 1;        // a pair: NAME and its peer
        public const int Bridge = 2;      // a software switch
    }

    /// <summary>netroute: one row of the routing table (`net route`).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NetworkRoute
    {
        public uint Destination;
        public int PrefixLength;
        public uint Gateway;             // 0: directly connected
        public int InterfaceIndex;
    }

    /// <summary>netneighbour: one row of the ARP cache (`net neigh`).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NetworkNeighbour
    {
        public uint Address;
        public int InterfaceIndex;
        public ulong Mac;                // 0 while still being resolved
        public int State;                // 1 resolving, 2 reachable (kernel/Net/ArpCache.cs)
        public int MillisecondsLeft;     // until it is forgotten (reachable) or asked again (resolving)
    }

    /// <summary>netcounter: one of the stack's drop counters (kernel/Net/DropReason.cs), with its name.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct NetworkCounter
    {
        public const int MaximumName = 32;
        public ulong Count;
        public int NameLength;
        public fixed byte Name[MaximumName];
        public int Reserved;
    }

    /// <summary>netbuffers: the packet pool (kernel/Net/PacketPool.cs): a leak shows as InUse that stays up.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PacketBufferUsage
    {
        public int InUse;
        public int MostInUse;
        public int Total;
        public int Reserved;
        public ulong Exhausted;          // how often a buffer was wanted and none was free
    }

    /// <summary>ping: what came back for one echo request.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct EchoReply
    {
        public ulong RoundTripMicroseconds;
        public int TimeToLive;
        public int Reserved;
    }
}
