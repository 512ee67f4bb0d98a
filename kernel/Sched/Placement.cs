namespace Sched
{
    /// <summary>
    /// Which CPU a thread that becomes ready should run on, and where an idle CPU finds work.
    ///
    /// The lesson of logical CPUs: two hyper-threads (SMT siblings) of one core share its execution
    /// units, so two busy threads on siblings each run slower than on two separate cores. So, in order:
    ///   1. only CPUs in the thread's affinity mask;
    ///   2. an idle CPU on a core where every sibling is idle too (a whole core for this thread);
    ///   3. the CPU the thread last ran on, if it is idle (its cache may still hold the thread's data);
    ///   4. any idle CPU;
    ///   5. the CPU with the least work, counting its queue and its running thread; among equals,
    ///      the one whose core is less loaded.
    /// Called with Scheduler.Lock held.
    /// </summary>
    public static class Placement
    {
        public static Processor Choose(Thread thread)
        {
            Processor wholeCore = null, lastCpu = null, idle = null, leastLoaded = null;
            int leastLoad = int.MaxValue, leastCoreLoad = int.MaxValue;
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor cpu = Processor.All[i];
                if (cpu == null || !cpu.Online || (thread.Affinity & (1UL << cpu.Id)) == 0) continue;
                if (IsIdle(cpu))
                {
                    if (wholeCore == null && CoreIsIdle(cpu)) wholeCore = cpu;
                    if (cpu.Id == thread.LastCpu) lastCpu = cpu;
                    if (idle == null) idle = cpu;
                }
                int load = Load(cpu), coreLoad = CoreLoad(cpu);
                if (load < leastLoad || load == leastLoad && coreLoad < leastCoreLoad)
                {
                    leastLoaded = cpu;
                    leastLoad = load;
                    leastCoreLoad = coreLoad;
                }
            }
            return wholeCore ?? lastCpu ?? idle ?? leastLoaded ?? Processor.All[0];
        }

        /// <summary>Is there a thread, here or in a busier CPU's queue, that this CPU could run?</summary>
        public static bool HasWorkFor(Processor cpu)
        {
            if (cpu.Ready.Count > 0) return true;
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor other = Processor.All[i];
                if (other != cpu && other != null && other.Ready.Count > 0 && Stealable(other, cpu) != null) return true;
            }
            return false;
        }

        /// <summary>
        /// Load balancing: an idle CPU takes a waiting thread from the CPU with the longest queue (one
        /// its affinity allows here). Returns null when there is nothing to take.
        /// </summary>
        public static Thread Steal(Processor thief)
        {
            Processor busiest = null;
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor other = Processor.All[i];
                if (other == null || other == thief || other.Ready.Count == 0) continue;
                if (busiest == null || other.Ready.Count > busiest.Ready.Count) busiest = other;
            }
            if (busiest == null) return null;
            Thread thread = Stealable(busiest, thief);
            if (thread != null)
            {
                busiest.Ready.Remove(thread);
                Steals++;
            }
            return thread;
        }

        public static ulong Steals { get; private set; }

        private static Thread Stealable(Processor from, Processor to)
        {
            for (int i = 0; i < from.Ready.Count; i++)
            {
                Thread thread = from.Ready.Peek(i);
                if ((thread.Affinity & (1UL << to.Id)) != 0) return thread;
            }
            return null;
        }

        private static bool IsIdle(Processor cpu) => cpu.CurrentThread.IsIdle && cpu.Ready.Count == 0;

        private static int Load(Processor cpu) => cpu.Ready.Count + (cpu.CurrentThread.IsIdle ? 0 : 1);

        private static bool CoreIsIdle(Processor cpu)
        {
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor sibling = Processor.All[i];
                if (sibling != null && sibling.Online && sibling.Core == cpu.Core && sibling.Package == cpu.Package && !IsIdle(sibling))
                    return false;
            }
            return true;
        }

        private static int CoreLoad(Processor cpu)
        {
            int load = 0;
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor sibling = Processor.All[i];
                if (sibling != null && sibling.Online && sibling.Core == cpu.Core && sibling.Package == cpu.Package)
                    load += Load(sibling);
            }
            return load;
        }
    }
}
