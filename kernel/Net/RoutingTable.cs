using Abi;

namespace Net
{
    /// <summary>
    /// Where an IPv4 datagram goes next: a small table of routes "destination/prefix via gateway on
    /// interface", searched by longest prefix match (RFC 1812, 5.2.4.3): of all routes whose prefix
    /// contains the destination, the most specific wins, so 10.0.2.0/24 beats the default route
    /// 0.0.0.0/0. A route without a gateway (0) means the destination is on the link itself: ARP asks
    /// for the destination's own address; with a gateway, ARP asks for the gateway's, and the
    /// datagram, still addressed to the far host, goes to that router's MAC address.
    /// A fixed number of rows: a table that cannot grow cannot be made to eat memory. The stack's
    /// lock (NetworkStack.Lock) guards it.
    /// </summary>
    public sealed class RoutingTable
    {
        public const int MaximumRoutes = 16;

        public struct Route
        {
            public bool InUse;
            public uint Destination;
            public int PrefixLength;
            public uint Gateway;                 // 0: directly connected
            public NetworkInterface Interface;
        }

        private readonly Route[] _routes = new Route[MaximumRoutes];

        public int Count
        {
            get
            {
                int count = 0;
                for (int i = 0; i < MaximumRoutes; i++) if (_routes[i].InUse) count++;
                return count;
            }
        }

        /// <summary>Gives back the table's memory (its stack is being freed).</summary>
        public void Free()
        {
            Mem.KernelHeap.Free(_routes);
            Mem.KernelHeap.Free(this);
        }

        /// <summary>The route for <paramref name="destination"/> (longest prefix), false if none matches.</summary>
        public bool Lookup(uint destination, out Route found)
        {
            found = default;
            int best = -1;
            for (int i = 0; i < MaximumRoutes; i++)
            {
                if (!_routes[i].InUse || !Ipv4Address.SameNetwork(destination, _routes[i].Destination, _routes[i].PrefixLength)) continue;
                if (best < 0 || _routes[i].PrefixLength > _routes[best].PrefixLength) best = i;
            }
            if (best < 0) return false;
            found = _routes[best];
            return true;
        }

        /// <summary>Adds a route; 0 or -EEXIST (same destination and prefix), -ENOSPC (table full), -EINVAL.</summary>
        public int Add(uint destination, int prefixLength, uint gateway, NetworkInterface networkInterface)
        {
            if (prefixLength < 0 || prefixLength > 32 || networkInterface == null) return -Errno.EINVAL;
            destination &= Ipv4Address.Mask(prefixLength);
            int free = -1;
            for (int i = 0; i < MaximumRoutes; i++)
            {
                if (!_routes[i].InUse) { if (free < 0) free = i; continue; }
                if (_routes[i].Destination == destination && _routes[i].PrefixLength == prefixLength) return -Errno.EEXIST;
            }
            if (free < 0) return -Errno.ENOSPC;
            _routes[free] = new Route { InUse = true, Destination = destination, PrefixLength = prefixLength, Gateway = gateway, Interface = networkInterface };
            return 0;
        }

        /// <summary>Deletes the route for exactly this destination and prefix; 0 or -ESRCH (Linux's answer for "no such route").</summary>
        public int Delete(uint destination, int prefixLength)
        {
            destination &= Ipv4Address.Mask(prefixLength);
            for (int i = 0; i < MaximumRoutes; i++)
            {
                if (_routes[i].InUse && _routes[i].Destination == destination && _routes[i].PrefixLength == prefixLength)
                {
                    _routes[i] = default;
                    return 0;
                }
            }
            return -Errno.ESRCH;
        }

        /// <summary>Drops every route through <paramref name="networkInterface"/> for <paramref name="network"/>
        /// (its address changed: the connected route of the old subnet goes with it).</summary>
        public void DeleteConnected(NetworkInterface networkInterface)
        {
            for (int i = 0; i < MaximumRoutes; i++)
                if (_routes[i].InUse && _routes[i].Interface == networkInterface && _routes[i].Gateway == 0) _routes[i] = default;
        }

        /// <summary>Drops every route through <paramref name="networkInterface"/>: it is being deleted or moved to
        /// another network namespace, and a route must never name an interface of another stack.</summary>
        public void DeleteAllThrough(NetworkInterface networkInterface)
        {
            for (int i = 0; i < MaximumRoutes; i++)
                if (_routes[i].InUse && _routes[i].Interface == networkInterface) _routes[i] = default;
        }

        /// <summary>The <paramref name="index"/>th route in use, for listing; false past the last.</summary>
        public bool At(int index, out Route route)
        {
            for (int i = 0; i < MaximumRoutes; i++)
            {
                if (!_routes[i].InUse) continue;
                if (index-- == 0) { route = _routes[i]; return true; }
            }
            route = default;
            return false;
        }
    }
}
