using Sched;
using TeachOS.Boundary;
using Time;

namespace Net
{
    /// <summary>
    /// The stack's clock: a kernel thread that, while anything waits on time, wakes every
    /// <see cref="PeriodMilliseconds"/> to ask ARP again for unresolved neighbours (and give up on them),
    /// and to wake echo requests (ping) whose time is up. With nothing to wait for it sleeps until
    /// <see cref="Kick"/>, so an idle network costs no wake-ups at all.
    /// </summary>
    public static unsafe class NetworkTimer
    {
        public const ulong PeriodMilliseconds = 50;

        private static readonly WaitQueue s_work = new WaitQueue("net timer: something to time");
        private static bool s_kicked;

        public static void Start() => Scheduler.Start(Thread.CreateKernel("net-timer", &Run, 0));

        /// <summary>Something now waits on time (an ARP question, a ping): make sure the timer runs.</summary>
        public static void Kick()
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            s_kicked = true;
            Scheduler.WakeAllLocked(s_work);
            Scheduler.ThreadStateLock.Release(flags);
        }

        [MayBlock]
        private static int Run(ulong unused)
        {
            while (true)
            {
                bool flags = Scheduler.ThreadStateLock.Acquire();
                while (!s_kicked) Scheduler.WaitLocked(s_work);
                s_kicked = false;
                Scheduler.ThreadStateLock.Release(flags);

                bool more = true;
                while (more)
                {
                    Scheduler.Sleep(PeriodMilliseconds * Clock.Hertz / 1000);
                    more = false;
                    for (int row = 0; row < NetworkNamespaces.Maximum; row++)
                    {
                        NetworkStack stack = NetworkNamespaces.TryHold(row);
                        if (stack == null) continue;
                        more |= Arp.Retry(stack);
                        NetworkNamespaces.Release(stack);
                    }
                    more |= EchoRequests.WakeOverdue();
                }
            }
        }
    }
}
