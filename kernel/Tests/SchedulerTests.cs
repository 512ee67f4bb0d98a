using Arch.X64;
using Sched;
using Terminal;
using Time;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>Kernel threads and the scheduler, before any user program exists.</summary>
    public static unsafe class SchedulerTests
    {
        private static ulong[] s_counts = new ulong[4];

        private static int Spin(ulong index)
        {
            // CPU-bound: never yields, so only preemption lets the others run.
            ulong end = Clock.Ticks + 300;
            while (Clock.Ticks < end) s_counts[index]++;
            return (int)index + 40;
        }

        public static void PreemptiveRoundRobin()
        {
            Thread[] threads = new Thread[3];
            for (int i = 0; i < threads.Length; i++)
            {
                threads[i] = Thread.CreateKernel("spin", &Spin, (ulong)i);
                Scheduler.Start(threads[i]);
            }
            ulong switchesBefore = Scheduler.Switches;
            for (int i = 0; i < threads.Length; i++)
                CheckEqual(40 + i, ThreadJoins.Join(threads[i]), "join returns the thread's exit code");
            for (int i = 0; i < threads.Length; i++)
                Check(s_counts[i] > 0, "every CPU-bound thread got to run");
            Check(Scheduler.Switches - switchesBefore >= 30, "the timer preempted the threads many times");
            Console.Write($"  switches: {Scheduler.Switches - switchesBefore}, counts: ");
            for (int i = 0; i < threads.Length; i++) Console.Write($"{s_counts[i]} ");
            Console.WriteLine();
        }

        private static int Sleeper(ulong ticks)
        {
            ulong start = Clock.Ticks;
            Scheduler.Sleep(ticks);
            return (int)(Clock.Ticks - start);
        }

        public static void SleepWakesOnTime()
        {
            Thread sleeper = Thread.CreateKernel("sleeper", &Sleeper, 50);
            Scheduler.Start(sleeper);
            int slept = ThreadJoins.Join(sleeper);
            Check(slept >= 50, "slept at least as long as asked");
            Check(slept <= 50 + Scheduler.QuantumTicks, "woke within one quantum of the deadline");
            Console.WriteLine($"  asked 50 ticks, slept {slept}");
        }

        private static int Quick(ulong value) => (int)value;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static int Recurse(ulong depth)
        {
            byte* frame = stackalloc byte[512];
            frame[depth & 511] = (byte)depth;
            return Recurse(depth + 1) + frame[0];
        }

        /// <summary>A kernel thread's stack overflows into its guard page: a double fault, reported from IST1.</summary>
        public static void ThreadStackOverflow()
        {
            Thread runaway = Thread.CreateKernel("runaway", &Recurse, 0);
            Scheduler.Start(runaway);
            ThreadJoins.Join(runaway);
        }

        public static void ThreadsLeaveNoLeak()
        {
            ulong framesBefore = Mem.FrameAllocator.FreeFrames;
            int stacksBefore = Mem.KernelStack.LiveCount;
            for (int round = 0; round < 200; round++)
            {
                Thread thread = Thread.CreateKernel("quick", &Quick, (ulong)round);
                Scheduler.Start(thread);
                CheckEqual(round, ThreadJoins.Join(thread), "exit code");
            }
            CheckEqual(stacksBefore, Mem.KernelStack.LiveCount, "every kernel stack was freed");
            CheckEqual((long)framesBefore, (long)Mem.FrameAllocator.FreeFrames, "every frame came back");
        }

        /// <summary>
        /// More threads than a run queue's first capacity (64) all sleep, and one timer tick wakes them
        /// all at once: the timer interrupt puts every one in a run queue without allocating, because
        /// creating them reserved the room (Scheduler.Register).
        /// </summary>
        public static void ManySleepersWakeTogether()
        {
            const int count = 150;
            Thread[] sleepers = new Thread[count];
            for (int i = 0; i < count; i++) sleepers[i] = Thread.CreateKernel("sleeper", &Sleeper, 20);
            for (int i = 0; i < count; i++) Scheduler.Start(sleepers[i]);
            Check(Processor.Current.Ready.Capacity >= count, "run queues have room for every thread");
            int woken = 0;
            for (int i = 0; i < count; i++)
                if (ThreadJoins.Join(sleepers[i]) >= 20) woken++;
            CheckEqual(count, woken, "every sleeper slept its 20 ticks and woke");
            Check(Processor.Current.Ready.Capacity < count, "and give the room back once they are gone");
            Mem.KernelHeap.Free(sleepers);
        }
    }
}
