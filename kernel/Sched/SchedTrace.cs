using Boot;
using Terminal;

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

        // Who each thread id was: threads are long gone by the time the trace is dumped, so their
        // names are recorded when they start.
        private const int ThreadCapacity = 1024;
        private const int MaximumName = 24;
        private struct ThreadRecord
        {
            public int Id;
            public int ProcessId;
            public int NameLength;
            public unsafe fixed char Name[MaximumName];
        }
        private static ThreadRecord[] s_threads;
        private static int s_threadCount;

        public static bool Enabled { get; private set; }

        public static void Configure()
        {
            Enabled = CommandLine.Has("trace-sched");
            if (!Enabled) return;
            s_events = new Event[Capacity];
            s_threads = new ThreadRecord[ThreadCapacity];
        }

        /// <summary>Called when a thread starts (scheduler lock held): remember its name.</summary>
        public static unsafe void RecordThread(Thread thread)
        {
            if (!Enabled || s_threadCount == ThreadCapacity) return;
            ref ThreadRecord record = ref s_threads[s_threadCount++];
            record.Id = thread.Id;
            record.ProcessId = thread.Owner == null ? 0 : thread.Owner.Id;
            record.NameLength = thread.Name.Length < MaximumName ? thread.Name.Length : MaximumName;
            fixed (char* name = record.Name)
                for (int i = 0; i < record.NameLength; i++) name[i] = thread.Name[i];
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
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Console.WriteLine($"sched-trace begin cpus={Processor.Count} hz={Time.Clock.Hertz} quantum-ticks={Scheduler.QuantumTicks}");
            // Where each logical CPU sits (Sched/Topology.cs), so the timeline can group SMT siblings.
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor cpu = Processor.All[i];
                Console.WriteLine($"sched-trace cpu id={cpu.Id} core={cpu.Core} package={cpu.Package} smt={cpu.SmtThread}");
            }
            for (int i = 0; i < s_threadCount; i++)
            {
                ThreadRecord record = s_threads[i];
                Console.Write($"sched-trace thread tid={record.Id} pid={record.ProcessId} name=");
                unsafe
                {
                    for (int c = 0; c < record.NameLength; c++) Console.Write(record.Name[c]);
                }
                Console.WriteLine();
            }
            ulong count = s_recorded < Capacity ? s_recorded : Capacity;
            int start = s_recorded < Capacity ? 0 : s_next;
            for (ulong i = 0; i < count; i++)
            {
                Event e = s_events[(start + (int)i) % Capacity];
                Console.WriteLine($"sched-trace switch tick={e.Tick} cpu={e.Cpu} from={e.From} to={e.To} reason={ReasonName(e.Reason)}");
            }
            Console.WriteLine($"sched-trace end dropped={s_recorded - count} events={count} tick={Time.Clock.Ticks}");
            Scheduler.ThreadStateLock.Release(flags);
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
