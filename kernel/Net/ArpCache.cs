using Time;

namespace Net
{
    /// <summary>
    /// What this stack knows of its neighbours: IPv4 address → MAC address (RFC 826), learnt from ARP
    /// replies and requests. A bounded table: <see cref="Capacity"/> rows; when it is full the row that
    /// expires first gives way, so a flood of ARP traffic cannot grow it. An answer is believed for
    /// <see cref="ReachableMilliseconds"/>, then asked again (a host may have changed its card, or its
    /// address moved to another). A row being resolved holds one datagram waiting for the answer (Linux
    /// keeps a few; one is enough for ping) and is asked again each second, three times at most, then
    /// the datagram is dropped (DropReason.ArpUnresolved).
    /// Guarded by the stack's lock; datagrams are taken out of it before they are sent or freed.
    /// </summary>
    public sealed class ArpCache
    {
        public const int Capacity = 16;
        public const ulong ReachableMilliseconds = 60_000;
        public const ulong RetryMilliseconds = 1_000;
        public const int MaximumRequests = 3;

        public enum State { Free, Resolving, Reachable }

        public struct Entry
        {
            public State State;
            public uint Address;
            public ulong Mac;
            public NetworkInterface Interface;
            public ulong DeadlineMilliseconds;     // Reachable: when to forget; Resolving: when to ask again
            public int RequestsSent;
            public PacketBuffer Waiting;           // a datagram (IPv4 header included) for this neighbour
        }

        private readonly NetworkStack _stack;
        private readonly Entry[] _entries = new Entry[Capacity];

        public ArpCache(NetworkStack stack) => _stack = stack;

        private static ulong Now => Clock.UptimeMilliseconds;

        /// <summary>Gives back the cache's memory (its stack is being freed; every interface has left it, and
        /// with each the rows and waiting datagrams it had: ForgetLocked).</summary>
        public void Free()
        {
            Mem.KernelHeap.Free(_entries);
            Mem.KernelHeap.Free(this);
        }

        /// <summary>Call with the stack's lock held: the neighbour's MAC if known and fresh.</summary>
        public bool TryLookupLocked(NetworkInterface networkInterface, uint address, out ulong mac)
        {
            int row = Find(networkInterface, address);
            if (row >= 0 && _entries[row].State == State.Reachable && _entries[row].DeadlineMilliseconds > Now)
            {
                mac = _entries[row].Mac;
                return true;
            }
            mac = 0;
            return false;
        }

        private int Find(NetworkInterface networkInterface, uint address)
        {
            for (int i = 0; i < Capacity; i++)
                if (_entries[i].State != State.Free && _entries[i].Address == address && _entries[i].Interface == networkInterface) return i;
            return -1;
        }

        /// <summary>A free row, or the one that expires first; its waiting datagram (if any) is returned to be dropped.</summary>
        private int Claim(out PacketBuffer evicted)
        {
            evicted = null;
            int victim = 0;
            for (int i = 0; i < Capacity; i++)
            {
                if (_entries[i].State == State.Free) return i;
                if (_entries[i].DeadlineMilliseconds < _entries[victim].DeadlineMilliseconds) victim = i;
            }
            evicted = _entries[victim].Waiting;
            _entries[victim] = default;
            return victim;
        }

        /// <summary>
        /// Call with the lock held, for a datagram whose neighbour is unknown: keeps the datagram in the
        /// neighbour's row (replacing an older one, which is returned in <paramref name="dropped"/>) and
        /// says whether an ARP request should go out now.
        /// </summary>
        public bool QueueLocked(NetworkInterface networkInterface, uint address, PacketBuffer datagram, out PacketBuffer dropped)
        {
            dropped = null;
            int row = Find(networkInterface, address);
            if (row < 0)
            {
                row = Claim(out dropped);
                _entries[row] = new Entry { State = State.Resolving, Address = address, Interface = networkInterface };
            }
            else if (_entries[row].State == State.Reachable)
            {
                _entries[row].State = State.Resolving;      // it went stale: ask again
                _entries[row].RequestsSent = 0;
            }
            if (_entries[row].Waiting != null) dropped = _entries[row].Waiting;     // (a claimed row has none)
            _entries[row].Waiting = datagram;
            if (_entries[row].RequestsSent > 0 && _entries[row].DeadlineMilliseconds > Now) return false;
            _entries[row].RequestsSent++;
            _entries[row].DeadlineMilliseconds = Now + RetryMilliseconds;
            return true;
        }

        /// <summary>
        /// Call with the lock held, for what an ARP packet told (its sender's address and MAC): updates
        /// the row if there is one, or adds one when <paramref name="create"/> (the packet was meant for
        /// us, RFC 826's "merge" rule). Returns the datagram that waited for this neighbour, to be sent.
        /// </summary>
        public PacketBuffer LearnLocked(NetworkInterface networkInterface, uint address, ulong mac, bool create, out PacketBuffer evicted)
        {
            evicted = null;
            int row = Find(networkInterface, address);
            if (row < 0)
            {
                if (!create) return null;
                row = Claim(out evicted);
            }
            PacketBuffer waiting = _entries[row].Waiting;
            _entries[row] = new Entry
            {
                State = State.Reachable, Address = address, Mac = mac, Interface = networkInterface,
                DeadlineMilliseconds = Now + ReachableMilliseconds,
            };
            return waiting;
        }

        /// <summary>
        /// Call with the lock held: rows still resolving whose time is up. One that has been asked
        /// <see cref="MaximumRequests"/> times gives up (its datagram is returned in <paramref name="expired"/>,
        /// to be dropped); otherwise the row to ask again is returned. -1 when there is nothing to do.
        /// </summary>
        public int NextOverdueLocked(out PacketBuffer expired, out NetworkInterface networkInterface, out uint address)
        {
            expired = null;
            networkInterface = null;
            address = 0;
            ulong now = Now;
            for (int i = 0; i < Capacity; i++)
            {
                if (_entries[i].State != State.Resolving || _entries[i].DeadlineMilliseconds > now) continue;
                networkInterface = _entries[i].Interface;
                address = _entries[i].Address;
                if (_entries[i].RequestsSent >= MaximumRequests)
                {
                    expired = _entries[i].Waiting;
                    _entries[i] = default;
                    return i;
                }
                _entries[i].RequestsSent++;
                _entries[i].DeadlineMilliseconds = now + RetryMilliseconds;
                return i;
            }
            return -1;
        }

        /// <summary>Call with the lock held: true while some row is still being resolved (the timer keeps going).</summary>
        public bool AnyResolvingLocked()
        {
            for (int i = 0; i < Capacity; i++) if (_entries[i].State == State.Resolving) return true;
            return false;
        }

        /// <summary>
        /// Call with the lock held: forgets every row of <paramref name="networkInterface"/> (deleted or moved away).
        /// Returns the waiting datagrams chained through <see cref="PacketBuffer.NextQueued"/>, to be freed after the lock.
        /// </summary>
        public PacketBuffer ForgetLocked(NetworkInterface networkInterface)
        {
            PacketBuffer waiting = null;
            for (int i = 0; i < Capacity; i++)
            {
                if (_entries[i].State == State.Free || _entries[i].Interface != networkInterface) continue;
                if (_entries[i].Waiting != null) { _entries[i].Waiting.NextQueued = waiting; waiting = _entries[i].Waiting; }
                _entries[i] = default;
            }
            return waiting;
        }

        /// <summary>The <paramref name="index"/>th row in use, for listing.</summary>
        public bool At(int index, out Entry entry)
        {
            for (int i = 0; i < Capacity; i++)
            {
                if (_entries[i].State == State.Free) continue;
                if (index-- == 0) { entry = _entries[i]; entry.Waiting = null; return true; }
            }
            entry = default;
            return false;
        }
    }
}
