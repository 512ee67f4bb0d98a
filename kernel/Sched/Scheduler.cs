using System.Runtime;
using System.Runtime.CompilerServices;
using Arch.X64;
using Boot;
using Diagnostics;
using Mem;
using Sync;
using TeachOS.Boundary;

namespace Sched
{
    /// <summary>
    /// The scheduler's mechanism, on every CPU: its lock, the threads' states, sleeping and waking,
    /// and the switch from one thread to the next. Each CPU has its own queue of ready threads; the
    /// running thread keeps its CPU until it blocks, yields, exits, or its policy ends its turn, and a
    /// CPU with nothing to run runs its idle thread, which halts until the next interrupt. The choices
    /// (which CPU a ready thread waits on, which thread runs next, when a turn is over) are the
    /// policy's: Sched/ISchedulingPolicy.cs, round-robin with a quantum of `quantum=` milliseconds
    /// (default 10) in Sched/RoundRobinPolicy.cs.
    ///
    /// How a timer interrupt becomes a different thread running: the CPU's timer handler charges a tick
    /// to the running thread and, when the policy says its turn is over, asks for a reschedule; on its way out of
    /// the trap, step 4 of the trap path (Proc/TrapExit.cs) calls <see cref="PreemptIfRequested"/>, which switches to the next
    /// thread right there, on the interrupted thread's kernel stack. Much later, when the interrupted
    /// thread is chosen again, that call returns and the trap returns to where it was interrupted.
    ///
    /// Lock: <see cref="ThreadStateLock"/> protects every thread's State and the queues a thread is in
    /// because of it: every run queue, the wait queues and the sleeping threads, with the policy's
    /// data, and (Proc/Processes.cs) the process list. One lock for all CPUs: simple, and contention
    /// is low at this scale. It is held across context_switch: the thread that switches away takes
    /// it, and the thread that runs next releases it (or, if new, scheduler_finish_switch does).
    ///
    /// One class in four files, one concept each: this one holds the lock, the policy and the
    /// threads' start (a thread becomes ready); Sched/SchedulerBlocking.cs how a thread gives up its
    /// CPU (yield, sleep, wait, exit) and is woken; Sched/SchedulerTimer.cs the tick and preemption;
    /// Sched/SchedulerSwitch.cs the switch itself.
    /// </summary>
    public static unsafe partial class Scheduler
    {
        public static SpinLock ThreadStateLock;

        /// <summary>The policy the mechanism asks (Sched/SchedulingPolicies.cs names it).</summary>
        public static ISchedulingPolicy Policy { get; private set; }

        // Made in Initialize, not by an initializer: a static initializer gives the class a static
        // constructor, and then every use of the scheduler's statics first checks that it has run.
        private static RunQueue<Thread> s_sleeping;

        public static int QuantumTicks => Policy.QuantumTicks;

        /// <summary>
        /// The thread running on this CPU: one load through GS (gs:48, set by <see cref="Processor.Run"/>
        /// at every switch). A single instruction cannot be split by a preemption: if the thread moves
        /// to another CPU just before it, that CPU's slot names this thread too. (Reading the Processor
        /// first and then its CurrentThread could be split, and return another CPU's thread.)
        /// </summary>
        public static Thread Current => Unsafe.As<Thread>(ProcessorLocal.ReadThreadObject());

        /// <summary>Makes the code running kmain the boot CPU's first thread and creates its idle thread.</summary>
        public static void Initialize(Processor boot, ulong bootStackTop)
        {
            ulong quantumMilliseconds = 10;
            string text = CommandLine.Get("quantum");
            if (text != null && uint.TryParse(text, out uint parsed) && parsed >= 1 && parsed <= 1000) quantumMilliseconds = parsed;
            Policy = SchedulingPolicies.Create((int)(quantumMilliseconds * Time.Clock.Hertz / 1000));
            s_sleeping = new RunQueue<Thread>();
            GuestTables = new AddressSpace();          // a marker only: no tables (SchedulerSwitch.cs)

            SchedTrace.Configure();
            Profiler.Configure();
            Thread main = Thread.ForBootCode("kmain", bootStackTop);
            Policy.StartTurn(main);
            Register(main);
            boot.Run(main);
            boot.IdleThread = IdleThreads.Create(boot);
            Register(boot.IdleThread);
        }

        /// <summary>An application processor's start-up code becomes its idle thread (Sched/Multiprocessor.cs).</summary>
        public static void AdoptIdleThread(Processor cpu, ulong stackTop, KernelStack stack)
        {
            Thread idle = IdleThreads.Adopt(cpu, stackTop, stack);
            cpu.IdleThread = idle;
            cpu.Run(idle);
            bool flags = ThreadStateLock.Acquire();
            Register(idle);
            ThreadStateLock.Release(flags);
        }

        private static void Register(Thread thread)
        {
            // A thread made after its process was killed must leave too (Scheduler.OwnerKilledLocked marks
            // the registered ones; the lock orders the two).
            if (thread.Owner != null && thread.Owner.Killed) thread.OwnerKilled = true;
            SchedTrace.RecordThread(thread);
            ThreadTable.AddLocked(thread);

            // Room for every thread in every queue, set aside now, in thread context: the timer
            // interrupt moves sleepers to run queues, and an interrupt handler must not allocate.
            for (int i = 0; i < Processor.Count; i++) KernelHeap.Free(Processor.All[i].Ready.Reserve(ThreadTable.Count));
            KernelHeap.Free(s_sleeping.Reserve(ThreadTable.Count));
        }

        // Adds a thread to a queue that Register made big enough; a full queue is a kernel bug.
        private static void Enqueue(RunQueue<Thread> queue, Thread thread)
        {
            if (!queue.TryEnqueue(thread)) Panic.Halt("scheduler: a run queue is full (Register reserves room for every thread)");
        }

        /// <summary>Makes a new thread runnable.</summary>
        public static void Start(Thread thread)
        {
            bool flags = ThreadStateLock.Acquire();
            Register(thread);
            MakeReadyLocked(thread);
            ThreadStateLock.Release(flags);
        }

        /// <summary>Puts a thread in a run queue, on the CPU the policy chooses, and tells that CPU.</summary>
        internal static void MakeReadyLocked(Thread thread)
        {
            thread.State = ThreadState.Ready;
            thread.WaitingOn = null;
            Processor target = Policy.ChooseCpu(thread);
            Enqueue(target.Ready, thread);
            Processor here = Processor.Current;
            if (target == here)
            {
                if (here.CurrentThread.IsIdle) here.RescheduleRequested = true;
            }
            else if (target.CurrentThread.IsIdle)
            {
                InterProcessor.Reschedule(target);          // it is halted: wake it up now, not at its next tick
            }
        }
    }
}
