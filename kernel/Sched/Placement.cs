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
    /// Placement happens when a thread becomes ready, so two busy threads can still end up on one
    /// core (the second was placed while the first core's sibling ran something short-lived). So at
    /// the end of each quantum a thread that shares its core with another busy thread moves if a
    /// whole core is idle (BetterCoreIsFree), and idle CPUs take waiting threads from busy ones (Steal).
    /// Pure logic over Thread and Processor fields (tests/Host checks it through RoundRobinPolicy).
    /// Called with Scheduler.ThreadStateLock held.
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
            if (cpu.Ready.Count > 0 && Runnable(cpu.Ready, cpu) != null) return true;
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor other = Processor.All[i];
                if (other != cpu && other != null && CanStealFrom(other) && Stealable(other, cpu) != null) return true;
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
                if (other == null || other == thief || !CanStealFrom(other)) continue;
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

        /// <summary>
        /// SMT balancing: should the thread running on <paramref name="cpu"/> move to a core where every
        /// hyper-thread is idle? Yes when it shares its own core with another busy thread: each then
        /// gets about half a core, while a whole core waits. The scheduler asks at the end of a quantum;
        /// placement then chooses the idle core (rule 2 above).
        /// </summary>
        public static bool BetterCoreIsFree(Processor cpu, Thread running)
        {
            if (!SiblingIsBusy(cpu)) return false;
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor other = Processor.All[i];
                if (other != null && other.Online && (running.Affinity & (1UL << other.Id)) != 0 &&
                    !SameCore(other, cpu) && CoreIsIdle(other))
                    return true;
            }
            return false;
        }

        // A CPU that is running its idle thread will run its own queue as soon as it wakes (it was sent
        // a reschedule IPI): taking from it would only undo a placement just made.
        private static bool CanStealFrom(Processor cpu) => cpu.Ready.Count > 0 && !cpu.CurrentThread.IsIdle;

        private static bool SameCore(Processor a, Processor b) => a.Core == b.Core && a.Package == b.Package;

        private static bool SiblingIsBusy(Processor cpu)
        {
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor sibling = Processor.All[i];
                if (sibling != null && sibling != cpu && sibling.Online && SameCore(sibling, cpu) && !IsIdle(sibling)) return true;
            }
            return false;
        }

        private static Thread Stealable(Processor from, Processor to) => Runnable(from.Ready, to);

        // The first thread of the queue that may run on `cpu` now: its affinity allows it, and no CPU
        // budget (cpu.max, Sched/CpuBandwidth.cs) holds it back. A queue of only held-back threads
        // is no work: its CPU idles until their period ends.
        private static Thread Runnable(RunQueue<Thread> queue, Processor cpu)
        {
            for (int i = 0; i < queue.Count; i++)
            {
                Thread thread = queue.Peek(i);
                if ((thread.Affinity & (1UL << cpu.Id)) != 0 && !CpuBandwidth.HoldsBackLocked(thread)) return thread;
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
                if (sibling != null && sibling.Online && SameCore(sibling, cpu) && !IsIdle(sibling))
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
                if (sibling != null && sibling.Online && SameCore(sibling, cpu))
                    load += Load(sibling);
            }
            return load;
        }
    }
}
