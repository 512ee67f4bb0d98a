using Abi;
using Arch.X64;
using Sched;
using Sync;
using TeachOS.Boundary;
using Time;

namespace Net
{
    /// <summary>
    /// The pings in flight: a caller sends an ICMP echo request and sleeps in a slot of this table
    /// until ICMP matches an echo reply to it (same stack, source, identifier and sequence) or the
    /// network timer finds its time up. The round trip is measured with the time-stamp counter, taken
    /// when the request leaves and when the reply is matched, so it does not depend on the timer tick.
    /// A fixed number of slots: more pings at once than that get EAGAIN.
    /// </summary>
    public static class EchoRequests
    {
        public const int Slots = 16;
        public const int MaximumDataBytes = 1400;

        private struct Slot
        {
            public bool InUse, Answered;
            public NetworkStack Stack;
            public uint Destination;
            public ushort Identifier, Sequence;
            public ulong SentAt, AnsweredAt;            // time-stamp counter
            public ulong DeadlineMilliseconds;
            public byte TimeToLive;
            public int DataBytes;
        }

        private static readonly Slot[] s_slots = new Slot[Slots];
        private static readonly WaitQueue[] s_waiters = new WaitQueue[Slots];
        private static SpinLock s_lock;

        public static void Initialize()
        {
            for (int i = 0; i < Slots; i++) s_waiters[i] = new WaitQueue("ping: an echo reply");
        }

        /// <summary>
        /// Sends one echo request and waits for its reply, <paramref name="timeoutMilliseconds"/> at most.
        /// 0 with the round trip in microseconds and the reply's TTL; -ETIMEDOUT, -ENETUNREACH,
        /// -ENOBUFS, -EAGAIN (every slot busy), -EINVAL, -EINTR (killed while waiting).
        /// </summary>
        [MayBlock]
        public static int Ping(NetworkStack stack, uint destination, ushort identifier, ushort sequence, int dataBytes,
            int timeoutMilliseconds, out ulong roundTripMicroseconds, out byte timeToLive)
        {
            roundTripMicroseconds = 0;
            timeToLive = 0;
            if (dataBytes < 0 || dataBytes > MaximumDataBytes || timeoutMilliseconds <= 0 || Ipv4Address.IsMulticastOrBroadcast(destination))
                return -Errno.EINVAL;

            bool flags = s_lock.Acquire();
            int slot = -1;
            for (int i = 0; i < Slots; i++) if (!s_slots[i].InUse) { slot = i; break; }
            if (slot < 0) { s_lock.Release(flags); return -Errno.EAGAIN; }
            s_slots[slot] = new Slot
            {
                InUse = true, Stack = stack, Destination = destination, Identifier = identifier, Sequence = sequence,
                SentAt = Cpu.ReadTimestamp(), DeadlineMilliseconds = Clock.UptimeMilliseconds + (ulong)timeoutMilliseconds,
                DataBytes = dataBytes,
            };
            s_lock.Release(flags);
            NetworkTimer.Kick();

            int result = Icmp.SendEchoRequest(stack, destination, identifier, sequence, dataBytes);
            if (result == 0) result = Wait(slot);
            flags = s_lock.Acquire();
            if (result == 0)
            {
                ulong cycles = s_slots[slot].AnsweredAt - s_slots[slot].SentAt;
                roundTripMicroseconds = Clock.TimestampHertz == 0 ? 0 : cycles * 1_000_000 / Clock.TimestampHertz;
                timeToLive = s_slots[slot].TimeToLive;
            }
            s_slots[slot] = default;
            s_lock.Release(flags);
            return result;
        }

        [MayBlock]
        private static int Wait(int slot)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            int result;
            while (true)
            {
                if (System.Threading.Volatile.Read(ref s_slots[slot].Answered)) { result = 0; break; }
                if (Clock.UptimeMilliseconds >= s_slots[slot].DeadlineMilliseconds) { result = -Errno.ETIMEDOUT; break; }
                if (Scheduler.IsKilled(Scheduler.Current)) { result = -Errno.EINTR; break; }
                Scheduler.WaitLocked(s_waiters[slot]);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return result;
        }

        /// <summary>ICMP's part: an echo reply arrived. True if someone was waiting for it (who is woken).</summary>
        public static bool Answer(NetworkStack stack, uint source, ushort identifier, ushort sequence, byte timeToLive, int dataBytes)
        {
            ulong now = Cpu.ReadTimestamp();
            bool flags = s_lock.Acquire();
            int slot = -1;
            for (int i = 0; i < Slots; i++)
            {
                Slot s = s_slots[i];
                if (s.InUse && !s.Answered && s.Stack == stack && s.Destination == source && s.Identifier == identifier
                    && s.Sequence == sequence && s.DataBytes == dataBytes) { slot = i; break; }
            }
            if (slot >= 0)
            {
                s_slots[slot].AnsweredAt = now;
                s_slots[slot].TimeToLive = timeToLive;
                s_slots[slot].Answered = true;
            }
            s_lock.Release(flags);
            if (slot >= 0) Scheduler.WakeAll(s_waiters[slot]);
            return slot >= 0;
        }

        /// <summary>The timer's part: wakes the waiters whose time is up. True while any ping waits.</summary>
        public static bool WakeOverdue()
        {
            ulong now = Clock.UptimeMilliseconds;
            bool any = false;
            for (int i = 0; i < Slots; i++)
            {
                bool flags = s_lock.Acquire();
                bool inUse = s_slots[i].InUse, overdue = inUse && now >= s_slots[i].DeadlineMilliseconds;
                s_lock.Release(flags);
                any |= inUse;
                if (overdue) Scheduler.WakeAll(s_waiters[i]);
            }
            return any;
        }
    }
}
