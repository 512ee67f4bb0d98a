using System;
using Abi;
using TeachOS;

/// <summary>
/// `ctr run --net bridge`: the container gets a network namespace of its own (kernel/Net/NetworkNamespaces.cs)
/// joined to the host by a veth pair, whose host end is a port of the bridge ctr0 (kernel/Net/Bridge.cs), as
/// Docker's default bridge network:
///   - ctr0 is made on first use, 10.88.0.1/24 in the host's namespace: the containers' gateway;
///   - container slot N gets the pair ctrvN (host end, on ctr0) and ctrcN (moved into the container), the address
///     10.88.0.(N+2)/24 and a default route via 10.88.0.1. The slot is the first N whose ctrvN does not exist;
///   - when the container's last process exits its namespace is freed, and the pair with it.
/// The order matters: the container must have its namespace before the end can be moved into it, and the end
/// must be there before the container configures it. So the child unshares and says "ready" on a pipe, ctr
/// makes and moves the pair and says "go" on another, and the child gives its end the address and the route.
/// No NAT: containers reach each other and the host, not the outside (TeachOS does not forward between interfaces).
/// </summary>
public sealed unsafe class ContainerNetwork
{
    public const string BridgeName = "ctr0";
    public const uint Subnet = 0x0A580000;                 // 10.88.0.0
    public const int PrefixLength = 24;
    private const int MaximumSlots = 200;

    private readonly int _slot;
    private PipeDescriptors _ready, _go;

    private ContainerNetwork(int slot) { _slot = slot; }

    private string HostEnd => "ctrv" + _slot;
    private string ContainerEnd => "ctrc" + _slot;
    public uint Address => Subnet | (uint)(_slot + 2);

    /// <summary>In ctr, before the fork: the bridge (made if missing), a free slot and the two pipes. Null, with the reason, on failure.</summary>
    public static ContainerNetwork Prepare(out string problem)
    {
        problem = null;
        if (NetworkLinks.Index(BridgeName) < 0)
        {
            long made = NetworkLinks.AddBridge(BridgeName);
            if (made == 0) made = NetworkLinks.SetAddress(BridgeName, Subnet | 1, PrefixLength);
            if (made == 0) made = NetworkLinks.SetUp(BridgeName, true);
            if (made < 0) { problem = "bridge " + BridgeName + ": " + Sys.ErrorName(made); return null; }
        }
        int slot = 0;
        while (slot < MaximumSlots && NetworkLinks.Index("ctrv" + slot) >= 0) slot++;
        if (slot == MaximumSlots) { problem = "no free address on " + BridgeName; return null; }
        var network = new ContainerNetwork(slot);
        Sys.Pipe(out network._ready);
        Sys.Pipe(out network._go);
        return network;
    }

    /// <summary>In ctr, after the fork: waits for the child's namespace, then plugs the pair in. 0 or a negated errno.</summary>
    public long PlugIn(long child)
    {
        Sys.Close(_ready.Write);
        Sys.Close(_go.Read);
        byte* signal = stackalloc byte[1];
        long result = Sys.Read(_ready.Read, new Span<byte>(signal, 1)) == 1 ? 0 : -Errno.ESRCH;   // end of file: the child failed first
        if (result == 0) result = NetworkLinks.AddVethPair(HostEnd, ContainerEnd);
        if (result == 0) result = NetworkLinks.SetMaster(HostEnd, BridgeName);
        if (result == 0) result = NetworkLinks.SetUp(HostEnd, true);
        if (result == 0) result = NetworkLinks.MoveToNamespaceOf(ContainerEnd, (int)child);
        if (result < 0) NetworkLinks.Delete(HostEnd);
        if (result == 0) Sys.Write(_go.Write, new ReadOnlySpan<byte>(signal, 1));
        Sys.Close(_ready.Read);
        Sys.Close(_go.Write);                                     // on failure the child reads end of file and gives up
        return result;
    }

    /// <summary>In the child, right after it unshared its namespaces: "ready", then its end's address and route. 0 or a negated errno.</summary>
    public long ConfigureInside()
    {
        Sys.Close(_ready.Read);
        Sys.Close(_go.Write);
        byte* signal = stackalloc byte[1];
        Sys.Write(_ready.Write, new ReadOnlySpan<byte>(signal, 1));
        long result = Sys.Read(_go.Read, new Span<byte>(signal, 1)) == 1 ? 0 : -Errno.ENODEV;
        Sys.Close(_ready.Write);
        Sys.Close(_go.Read);
        if (result == 0) result = NetworkLinks.SetAddress(ContainerEnd, Address, PrefixLength);
        if (result == 0) result = NetworkLinks.SetUp(ContainerEnd, true);
        if (result == 0) result = Sys.NetRouteAdd(0, 0, Subnet | 1, -1);            // default via 10.88.0.1
        return result;
    }
}
