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
    /// </summary>
    public static unsafe class Scheduler
    {
        public static SpinLock ThreadStateLock;

        /// <summary>The policy the mechanism asks (Sched/SchedulingPolicies.cs names it).</summary>
        public static ISchedulingPolicy Policy { get; private set; }

        // Made in Initialize, not by an initializer: a static initializer gives the class a static
        // constructor, and then every use of the scheduler's statics first checks that it has run.
        private static RunQueue<Thread> s_sleeping;

        public static int QuantumTicks => Policy.QuantumTicks;
        public static ulong Switches { get; private set; }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "context_switch")]
        private static extern void ContextSwitch(ulong* saveStackPointer, ulong nextStackPointer);

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

        // ---- Giving up the CPU ----

        /// <summary>
        /// The yield syscall: back of the queue, let the next thread run. Compiled into the syscall's
        /// row of the dispatch table (its one caller, Syscalls/TimeSyscalls.cs), which then needs no
        /// frame of its own: a program can call it in a loop, and each call saves a call, a return and
        /// a frame.
        /// </summary>
        [MayBlock]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Yield()
        {
            bool flags = ThreadStateLock.Acquire();
            Processor cpu = Processor.Current;
            Thread current = cpu.CurrentThread;
            if (cpu.Ready.Count > 0)
            {
                current.State = ThreadState.Ready;
                Enqueue(cpu.Ready, current);             // stays on this CPU: it only gave way
                SwitchLocked(cpu, SwitchReason.Yielded);
            }
            ThreadStateLock.Release(flags);
        }

        /// <summary>
        /// Sleeps at least <paramref name="ticks"/> timer ticks, or less if its process is killed: kill
        /// wakes sleepers (<see cref="InterruptLocked"/>), and a thread of a process killed before it
        /// got here does not start sleeping at all. The check is under <see cref="ThreadStateLock"/>,
        /// which kill holds while it marks the process, so a kill cannot slip in between the check and
        /// the sleep.
        /// </summary>
        [MayBlock]
        public static void Sleep(ulong ticks)
        {
            bool flags = ThreadStateLock.Acquire();
            Thread current = Current;
            if (!IsKilled(current))
            {
                current.State = ThreadState.Sleeping;
                current.WakeAtTick = Time.Clock.Ticks + ticks;
                Enqueue(s_sleeping, current);
                SwitchLocked(SwitchReason.Sleep);
            }
            ThreadStateLock.Release(flags);
        }

        /// <summary>
        /// True if <paramref name="thread"/>'s process has been killed (never for a kernel thread). Every
        /// loop that blocks a user thread checks it, with <see cref="ThreadStateLock"/> held, each time it
        /// wakes: a killed thread must get out of the kernel (and exit on its way back to ring 3), not
        /// wait on.
        /// </summary>
        public static bool IsKilled(Thread thread) => thread.Owner != null && thread.Owner.Killed;

        /// <summary>
        /// Blocks the running thread on <paramref name="queue"/> until someone wakes it. Call with
        /// <see cref="ThreadStateLock"/> held, after finding the condition false; it is held again on
        /// return, and the caller re-checks the condition (another thread may have got there first).
        /// </summary>
        [MayBlock]
        public static void WaitLocked(WaitQueue queue)
        {
            Thread current = Current;
            current.State = ThreadState.Blocked;
            current.WaitingOn = queue;
            queue.Add(current);
            SwitchLocked(SwitchReason.Blocked);
        }

        /// <summary>Wakes every thread waiting on <paramref name="queue"/> (with <see cref="ThreadStateLock"/> held).</summary>
        public static void WakeAllLocked(WaitQueue queue)
        {
            Thread waiter;
            while ((waiter = queue.TakeFirst()) != null)
                if (waiter.State == ThreadState.Blocked) MakeReadyLocked(waiter);
        }

        public static void WakeAll(WaitQueue queue)
        {
            bool flags = ThreadStateLock.Acquire();
            WakeAllLocked(queue);
            ThreadStateLock.Release(flags);
        }

        /// <summary>Wakes one thread however it waits (for kill): it re-checks why it waited and sees it must die.</summary>
        public static void InterruptLocked(Thread thread)
        {
            if (thread.State == ThreadState.Blocked)
            {
                thread.WaitingOn.Remove(thread);
                MakeReadyLocked(thread);
            }
            else if (thread.State == ThreadState.Sleeping)
            {
                s_sleeping.Remove(thread);
                MakeReadyLocked(thread);
            }
            else if (thread.State == ThreadState.Running && thread.LastCpu != Processor.Current.Id)
            {
                InterProcessor.Reschedule(Processor.All[thread.LastCpu]);   // make it pass through the kernel soon
            }
        }

        /// <summary>
        /// Ends the running thread. Its stack is freed by the next thread to run on this CPU (we are
        /// still standing on it); the Thread itself stays as a zombie until joined or reaped.
        /// </summary>
        public static void ExitCurrent(int exitCode)
        {
            ThreadStateLock.Acquire();
            ExitCurrentLocked(exitCode);
        }

        /// <summary>
        /// <see cref="ExitCurrent"/> for a caller that already holds <see cref="ThreadStateLock"/>: whatever it
        /// changed under the lock (a process marked finished) and this thread's becoming a zombie are
        /// then one step, which no other CPU can see half done.
        /// </summary>
        public static void ExitCurrentLocked(int exitCode)
        {
            Thread current = Current;
            current.ExitCode = exitCode;
            current.State = ThreadState.Zombie;
            WakeAllLocked(current.Joiners);
            Processor.Current.ExitedThread = current;
            SwitchLocked(SwitchReason.Exited);
            Panic.Halt("scheduler: an exited thread was switched back to");
        }

        [RuntimeExport("kernel_thread_exit")]
        private static void KernelThreadExit(int exitCode) => ExitCurrent(exitCode);

        // ---- The timer ----

        /// <summary>Each CPU's timer tick (interrupts off; from Sched/LocalInterrupts.cs): count it, wake
        /// sleepers, ask the policy whether to switch.</summary>
        [InterruptContext]
        internal static void OnTimerTick()
        {
            bool flags = ThreadStateLock.Acquire();
            Processor cpu = Processor.Current;
            Thread current = cpu.CurrentThread;
            current.CpuTicks++;
            if (current.IsIdle) cpu.IdleTicks++; else cpu.BusyTicks++;

            for (int i = s_sleeping.Count - 1; i >= 0; i--)
            {
                Thread sleeper = s_sleeping.Peek(i);
                if (sleeper.WakeAtTick > Time.Clock.Ticks) continue;
                s_sleeping.Remove(sleeper);
                MakeReadyLocked(sleeper);
            }

            if (Policy.Tick(cpu, current)) cpu.RescheduleRequested = true;
            ThreadStateLock.Release(flags);
        }

        /// <summary>The reschedule IPI: another CPU made work for this one.</summary>
        public static void RequestReschedule() => Processor.Current.RescheduleRequested = true;

        /// <summary>
        /// Called by Proc/TrapExit.cs as a trap finishes: switch if the timer (or another CPU) asked for it.
        /// Every trap and syscall passes here and the answer is nearly always no, so the test is all this
        /// method does (small enough to inline into the caller); <see cref="Preempt"/> does the work.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void PreemptIfRequested()
        {
            if (Processor.Current.RescheduleRequested) Preempt();
        }

        private static void Preempt()
        {
            Processor cpu = Processor.Current;
            if (Preemption.IsDisabled) return;     // a later trap will do it
            bool flags = ThreadStateLock.Acquire();
            cpu.RescheduleRequested = false;
            Thread current = cpu.CurrentThread;
            if (current.State == ThreadState.Running && (current.IsIdle ? Policy.HasWorkFor(cpu) : true))
            {
                bool quantumOver = !current.IsIdle;
                // A thread whose time is up goes wherever the policy places it (round-robin: where there
                // is least work, which keeps the CPUs' queues even: four threads on two CPUs, two each).
                if (quantumOver) MakeReadyLocked(current);
                SwitchLocked(quantumOver ? SwitchReason.Quantum : SwitchReason.Start);
            }
            ThreadStateLock.Release(flags);
        }

        // ---- The switch itself ----

        /// <summary>
        /// Asks the policy for the next thread and switches to it. The caller holds
        /// <see cref="ThreadStateLock"/> and has already set the current thread's new State (and queued
        /// it, if it stays runnable).
        /// </summary>
        private static void SwitchLocked(SwitchReason reason) => SwitchLocked(Processor.Current, reason);

        /// <summary>
        /// The same, for a caller that has <paramref name="cpu"/> at hand already. Compiled into its
        /// callers: <see cref="Yield"/>, the one that a program can call in a loop, saves the call and
        /// a second entry and exit; everyone else goes through the one copy above.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void SwitchLocked(Processor cpu, SwitchReason reason)
        {
            Thread previous = cpu.CurrentThread;
            Thread next = Policy.TakeNext(cpu) ?? cpu.IdleThread;
            if (next == previous)
            {
                previous.State = ThreadState.Running;
                Policy.ContinueTurn(previous);
                return;
            }

            next.State = ThreadState.Running;
            Policy.StartTurn(next);
            next.LastCpu = cpu.Id;
            cpu.Run(next);
            Switches++;
            if (SchedTrace.Enabled) SchedTrace.Record(cpu.Id, previous, next, reason);

            // The next thread's view of memory: its process's address space, or the kernel's own for
            // a kernel thread (never keep a process's tables loaded that may be freed meanwhile).
            AddressSpace space = next.Owner?.AddressSpace;
            if (cpu.LoadedSpace != space) UseAddressSpace(cpu, space);      // not when two threads of one process take turns
            cpu.UseKernelStack(next.KernelStackTop);

            // (A pointer without `fixed`: nothing moves objects in this kernel, and `fixed` would cost
            // a pinned local, zeroed before and after, on every switch.)
            ContextSwitch((ulong*)Unsafe.AsPointer(ref previous.SavedStackPointer), next.SavedStackPointer);

            // We are `previous` again, resumed by some other thread's switch (perhaps on another CPU).
            // Rarely is there anything to finish: the test is here, the work in FinishSwitch.
            if (Processor.Current.ExitedThread != null) FinishSwitch();
        }

        /// <summary>
        /// Makes this CPU use <paramref name="space"/> (null: the kernel's own tables): loads its tables
        /// and tells Memory's TLB shootdowns, which learn from that record which CPUs run which address
        /// space. Nothing to do when the CPU uses it already, as when two threads of one process take
        /// turns. Every change of a CPU's tables goes through here (the switch, exec, a process's
        /// exit), so <see cref="Processor.LoadedSpace"/> is always what the CPU has loaded. Interrupts
        /// off (the lock held), so that no switch comes between the record and the tables.
        /// </summary>
        public static void UseAddressSpace(Processor cpu, AddressSpace space)
        {
            if (cpu.LoadedSpace == space) return;
            cpu.LoadedSpace = space;
            TlbShootdown.Running(space);
            ulong pml4 = space != null ? space.Pml4 : KernelAddressSpace.Pml4;
            if (PageTables.ActiveRoot != pml4) PageTables.Activate(pml4);   // writing CR3 flushes the TLB: skip it when unchanged
        }

        /// <summary>Runs right after a switch, on the incoming thread, when the outgoing one exited: free what it left.</summary>
        private static void FinishSwitch()
        {
            Processor cpu = Processor.Current;
            Thread exited = cpu.ExitedThread;
            if (exited != null && exited != cpu.CurrentThread)
            {
                cpu.ExitedThread = null;
                if (exited.Stack != null) exited.Owner?.StackFreedLocked(exited);
                exited.Stack?.Free();
                exited.Stack = null;
                if (exited.Detached) Reap(exited);
            }
        }

        /// <summary>Where a brand-new thread starts (Sched/ContextSwitch.asm thread_start): the lock is ours to release.</summary>
        [RuntimeExport("scheduler_finish_switch")]
        private static void FinishSwitchForNewThread()
        {
            FinishSwitch();
            ThreadStateLock.Release(false);    // interrupts come on in the thread itself (sti, or iretq to ring 3)
        }

        /// <summary>Forgets a zombie thread for good (after join or process reaping). Lock held.</summary>
        public static void Reap(Thread thread)
        {
            thread.Owner?.ThreadGoneLocked(thread, stackStillCharged: thread.Stack != null);
            ThreadTable.RemoveLocked(thread);
            thread.Release();
            // After a burst of threads, the queues that Register enlarged give their memory back.
            for (int i = 0; i < Processor.Count; i++) KernelHeap.Free(Processor.All[i].Ready.Shrink(ThreadTable.Count));
            KernelHeap.Free(s_sleeping.Shrink(ThreadTable.Count));
        }
    }
}
