using Arch.X64;
using Mem;

namespace Sched
{
    /// <summary>
    /// Each CPU's idle thread: what it runs when no thread is ready, so that "the CPU is doing
    /// nothing" is a thread like any other and the switch code needs no special case. It halts
    /// (hlt) until an interrupt; the timer's tick or another CPU's reschedule IPI then brings it
    /// back into the scheduler, which switches to real work if there is any. An idle thread is
    /// pinned to its CPU and never sits in a run queue.
    /// </summary>
    public static unsafe class IdleThreads
    {
        /// <summary>The boot CPU's idle thread: a new kernel thread (the boot code goes on to become init's parent).</summary>
        public static Thread Create(Processor cpu)
        {
            Thread idle = Thread.CreateKernel(Name(cpu.Id), &Loop, 0);
            return PinnedTo(idle, cpu);
        }

        /// <summary>An application processor's start-up code becomes its idle thread, on the stack it has.</summary>
        public static Thread Adopt(Processor cpu, ulong stackTop, KernelStack stack)
        {
            Thread idle = Thread.ForBootCode(Name(cpu.Id), stackTop);
            idle.Stack = stack;
            idle.LastCpu = cpu.Id;
            return PinnedTo(idle, cpu);
        }

        /// <summary>
        /// What an idle thread does: finish freeing exited threads' stacks (it holds no locks, so it may
        /// wait for other CPUs), give way to work that arrived meanwhile (freeing holds off switches),
        /// then halt until an interrupt brings work.
        /// </summary>
        public static void Run()
        {
            while (true)
            {
                KernelStack.FreeReleased();
                Scheduler.PreemptIfRequested();
                Interrupts.WaitForInterrupt();
            }
        }

        private static int Loop(ulong unused)
        {
            Run();
            return 0;
        }

        private static Thread PinnedTo(Thread idle, Processor cpu)
        {
            idle.IsIdle = true;
            idle.Affinity = 1UL << cpu.Id;
            return idle;
        }

        // String literals: the thread copies its name (Sched/Thread.cs), so a literal is all it needs.
        private static string Name(int cpu)
        {
            switch (cpu)
            {
                case 0: return "idle0";
                case 1: return "idle1";
                case 2: return "idle2";
                case 3: return "idle3";
                default: return "idle";
            }
        }
    }
}
