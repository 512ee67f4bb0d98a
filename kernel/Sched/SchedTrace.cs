using Boot;
using Drivers;

namespace Sched
{
    /// <summary>
    /// With `trace-sched` on the command line, every thread switch is recorded (tick, CPU, from, to,
    /// why) in a ring buffer of <see cref="Capacity"/> events; <see cref="Dump"/> prints them on the
    /// serial console as `sched-trace ...` lines, which tools/SchedTrace turns into an SVG timeline
    /// (make trace). Recording costs a few stores and never allocates (it runs during a switch).
    /// </summary>
    public static class SchedTrace
    {
        public const int Capacity = 8192;

        private struct Event
        {
            public ulong Tick;
            public int Cpu;
            public int From;
            public int To;
            public SwitchReason Reason;
        }

        private static Event[] s_events;
        private static int s_next;
        private static ulong s_recorded;

        public static bool Enabled { get; private set; }

        public static void Configure()
        {
            Enabled = CommandLine.Has("trace-sched");
            if (Enabled) s_events = new Event[Capacity];
        }

        /// <summary>Called by the scheduler with its lock held.</summary>
        public static void Record(int cpu, Thread from, Thread to, SwitchReason reason)
        {
            if (!Enabled) return;
            s_events[s_next] = new Event { Tick = Time.Clock.Ticks, Cpu = cpu, From = from.Id, To = to.Id, Reason = reason };
            s_next = (s_next + 1) % Capacity;
            s_recorded++;
        }

        /// <summary>Prints the recorded events in the format tools/SchedTrace/README.md describes.</summary>
        public static void Dump()
        {
            if (!Enabled) return;
            bool flags = Scheduler.Lock.Acquire();
            Console.Write("sched-trace begin cpus=1 hz=");
            Console.WriteDecimal(Time.Clock.Hertz);
            Console.Write(" quantum-ticks=");
            Console.WriteDecimal(Scheduler.QuantumTicks);
            Console.WriteLine();
            for (int i = 0; i < Scheduler.ThreadCount; i++)
            {
                Thread thread = Scheduler.ThreadAt(i);
                Console.Write("sched-trace thread tid=");
                Console.WriteDecimal(thread.Id);
                Console.Write(" pid=");
                Console.WriteDecimal(thread.Process == null ? 0 : thread.Process.Id);
                Console.Write(" name=");
                Console.WriteLine(thread.Name);
            }
            ulong count = s_recorded < Capacity ? s_recorded : Capacity;
            int start = s_recorded < Capacity ? 0 : s_next;
            for (ulong i = 0; i < count; i++)
            {
                Event e = s_events[(start + (int)i) % Capacity];
                Console.Write("sched-trace switch tick=");
                Console.WriteDecimal(e.Tick);
                Console.Write(" cpu=");
                Console.WriteDecimal(e.Cpu);
                Console.Write(" from=");
                Console.WriteDecimal(e.From);
                Console.Write(" to=");
                Console.WriteDecimal(e.To);
                Console.Write(" reason=");
                Console.WriteLine(ReasonName(e.Reason));
            }
            Console.Write("sched-trace end dropped=");
            Console.WriteDecimal(s_recorded - count);
            Console.Write(" events=");
            Console.WriteDecimal(count);
            Console.Write(" tick=");
            Console.WriteDecimal(Time.Clock.Ticks);
            Console.WriteLine();
            Scheduler.Lock.Release(flags);
        }

        private static string ReasonName(SwitchReason reason)
        {
            switch (reason)
            {
                case SwitchReason.Quantum: return "quantum";
                case SwitchReason.Blocked: return "blocked";
                case SwitchReason.Yielded: return "yielded";
                case SwitchReason.Sleep: return "sleep";
                case SwitchReason.Exited: return "exited";
                default: return "start";
            }
        }
    }
}
