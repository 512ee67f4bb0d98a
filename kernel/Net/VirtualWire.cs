using Sched;
using Sync;
using TeachOS.Boundary;

namespace Net
{
    /// <summary>
    /// The one receive thread of every virtual interface (a namespace's loopback, the ends of veth pairs,
    /// bridges): a frame a virtual device transmits is queued here, addressed to the interface that will
    /// receive it (in <see cref="PacketBuffer.ArrivedOn"/>), and the thread "net-wire" takes it up that
    /// interface's stack, or into its bridge if the interface is a bridge's port. The sender never runs
    /// the receiver's protocols itself: TCP sends while holding the transport lock, and the receiving
    /// TCP takes that lock too, so a direct call would deadlock; and one thread for all virtual
    /// interfaces means a namespace costs no thread, so nothing needs stopping when it goes.
    ///
    /// Locks: <see cref="s_lock"/> (a spin lock) guards the queue. <see cref="DeliveryLock"/> (a sleep
    /// lock) is held while one frame goes up a stack, and by whoever deletes or moves an interface or
    /// tears a stack down (Links.cs, NetworkNamespaces.cs): so a frame is never half-way up a stack
    /// that is being taken apart. It is the outermost lock of the network: taken before the transport
    /// lock and any stack's lock, never under them.
    /// </summary>
    public static unsafe class VirtualWire
    {
        /// <summary>At most this many frames wait (half the packet pool): a flood between namespaces
        /// must leave buffers for the real card and for the protocols' answers.</summary>
        public const int MaximumQueued = PacketPool.Size / 2;

        public static SleepLock DeliveryLock;
        private static SpinLock s_lock;
        private static PacketBuffer s_first, s_last;
        private static int s_queued;
        private static WaitQueue s_arrived;

        /// <summary>Frames dropped because the queue was full or their interface was gone.</summary>
        public static ulong Dropped;

        public static void Start()
        {
            DeliveryLock = new SleepLock("net-wire: delivery");
            s_arrived = new WaitQueue("net-wire: a frame");
            Scheduler.Start(Thread.CreateKernel("net-wire", &Run, 0));
        }

        /// <summary>Queues <paramref name="frame"/> (taking it over) for <paramref name="to"/>; false (and the
        /// frame freed) when the queue is full or the interface is gone.</summary>
        public static bool Deliver(NetworkInterface to, PacketBuffer frame) => Deliver(to, null, frame);

        /// <summary>Queues <paramref name="frame"/> (taking it over) for the device's <see cref="VirtualDevice.Peer"/>,
        /// read under the queue's lock: Links.RemoveLocked clears Peer before it drops the frames queued for an
        /// interface (under this lock too), so once an interface has left, no sender still has it in hand
        /// (another namespace's, reaching it over a veth) and it may be freed.</summary>
        public static bool Deliver(VirtualDevice from, PacketBuffer frame) => Deliver(null, from, frame);

        private static bool Deliver(NetworkInterface to, VirtualDevice from, PacketBuffer frame)
        {
            frame.NextQueued = null;
            bool flags = s_lock.Acquire();
            if (from != null) to = from.Peer;
            frame.ArrivedOn = to;
            bool taken = to != null && !to.Removed && s_queued < MaximumQueued;
            if (taken)
            {
                if (s_last == null) s_first = frame; else s_last.NextQueued = frame;
                s_last = frame;
                s_queued++;
            }
            else Dropped++;
            s_lock.Release(flags);
            if (!taken) { frame.ArrivedOn = null; PacketPool.Free(frame); return false; }
            Scheduler.WakeAll(s_arrived);
            return true;
        }

        [MayBlock]
        private static int Run(ulong unused)
        {
            while (true)
            {
                // Read under ThreadStateLock, which the waker takes too: a frame queued between the
                // check and the sleep still finds this thread on the queue (as LoopbackDevice does).
                bool flags = Scheduler.ThreadStateLock.Acquire();
                if (System.Threading.Volatile.Read(ref s_queued) == 0) Scheduler.WaitLocked(s_arrived);
                Scheduler.ThreadStateLock.Release(flags);

                DeliveryLock.Acquire();
                PacketBuffer frame = TakeFirst();
                if (frame != null) DeliverUp(frame);
                DeliveryLock.Release();
            }
        }

        private static PacketBuffer TakeFirst()
        {
            bool flags = s_lock.Acquire();
            PacketBuffer frame = s_first;
            if (frame != null)
            {
                s_first = frame.NextQueued;
                if (s_first == null) s_last = null;
                s_queued--;
                frame.NextQueued = null;
            }
            s_lock.Release(flags);
            return frame;
        }

        // With DeliveryLock held: the interface cannot leave its stack while its frame goes up.
        private static void DeliverUp(PacketBuffer frame)
        {
            NetworkInterface to = frame.ArrivedOn;
            if (to.Removed || !to.IsUp)
            {
                to.ReceiveDrops++;
                PacketPool.Free(frame);
                return;
            }
            to.ReceivedFrames++;
            to.ReceivedBytes += (ulong)frame.Length;
            Bridge master = to.Master;
            if (master != null)
            {
                master.Forward(to, frame.Data);          // copies it out to the ports it goes to
                PacketPool.Free(frame);
            }
            else Ethernet.Receive(frame);
        }

        /// <summary>
        /// Drops the frames queued for <paramref name="networkInterface"/> (it is leaving its stack). Call with
        /// DeliveryLock held, after <see cref="NetworkInterface.Removed"/> is set: no new ones are queued.
        /// </summary>
        public static void DropQueuedFor(NetworkInterface networkInterface)
        {
            PacketBuffer dropped = null;
            bool flags = s_lock.Acquire();
            PacketBuffer previous = null, at = s_first;
            while (at != null)
            {
                PacketBuffer next = at.NextQueued;
                if (at.ArrivedOn == networkInterface)
                {
                    if (previous == null) s_first = next; else previous.NextQueued = next;
                    if (s_last == at) s_last = previous;
                    s_queued--;
                    at.NextQueued = dropped;
                    dropped = at;
                }
                else previous = at;
                at = next;
            }
            s_lock.Release(flags);
            FreeChain(dropped);
        }

        /// <summary>Frees a chain of buffers linked through NextQueued.</summary>
        public static void FreeChain(PacketBuffer chain)
        {
            while (chain != null)
            {
                PacketBuffer next = chain.NextQueued;
                chain.NextQueued = null;
                PacketPool.Free(chain);
                chain = next;
            }
        }
    }
}
