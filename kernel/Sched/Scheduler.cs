using System.Runtime;
using System.Runtime.CompilerServices;
using Arch.X64;
using Boot;
using Traps;

namespace Sched
{
    /// <summary>
    /// Preemptive round-robin scheduling. Ready threads wait in one first-in-first-out queue; the
    /// running thread keeps its CPU until it blocks, yields, exits, or uses up its quantum
    /// (`quantum=` milliseconds on the command line, default 10), and then goes to the back of the
    /// queue. A CPU with nothing to run runs its idle thread, which halts until the next interrupt.
    ///
    /// How a timer interrupt becomes a different thread running: the timer handler (IRQ 0) charges a
    /// tick to the running thread and, when its quantum is spent, asks for a reschedule; on its way out
    /// of the trap, the dispatcher calls <see cref="PreemptIfRequested"/>, which switches to the next
    /// thread right there, on the interrupted thread's kernel stack. Much later, when the interrupted
    /// thread is chosen again, that call returns and the trap returns to where it was interrupted.
    ///
    /// Lock: <see cref="Lock"/> protects the run queue, every thread's State, the wait queues and the
    /// sleeping threads. It is held across context_switch: the thread that switches away takes it,
    /// and the thread that runs next releases it (or, if new, scheduler_finish_switch does).
    /// </summary>
    public static unsafe class Scheduler
    {
        public static readonly SpinLock Lock = new SpinLock("scheduler");

        private static RunQueue<Thread> s_ready = new RunQueue<Thread>();
        private static RunQueue<Thread> s_sleeping = new RunQueue<Thread>();
        private static Thread[] s_all = new Thread[256];
        private static int s_allCount;

        public static int QuantumTicks { get; private set; } = 10;
        public static ulong Switches { get; private set; }

        /// <summary>Set by the timer handler; acted on when the trap is about to return.</summary>
        private static bool s_rescheduleRequested;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "context_switch")]
        private static extern void ContextSwitch(ulong* saveStackPointer, ulong nextStackPointer);

        public static Thread Current => Processor.Current.CurrentThread;

        /// <summary>Makes the code running kmain the boot CPU's first thread and creates its idle thread.</summary>
        public static void Initialize(Processor boot, ulong bootStackTop)
        {
            ulong quantumMilliseconds = 10;
            string text = CommandLine.Get("quantum");
            if (text != null && uint.TryParse(text, out uint parsed) && parsed >= 1 && parsed <= 1000) quantumMilliseconds = parsed;
            QuantumTicks = (int)(quantumMilliseconds * Time.Clock.Hertz / 1000);
            if (QuantumTicks < 1) QuantumTicks = 1;

            SchedTrace.Configure();
            Thread main = Thread.ForBootCode(bootStackTop);
            main.QuantumLeft = QuantumTicks;
            Register(main);
            boot.CurrentThread = main;
            boot.IdleThread = Thread.CreateKernel("idle0", &IdleLoop, 0);
            boot.IdleThread.IsIdle = true;
            Register(boot.IdleThread);
            InterruptHandlers.TimerHook = &OnTimerTick;
        }

        private static int IdleLoop(ulong unused)
        {
            while (true) Cpu.EnableInterruptsAndHalt();
        }

        private static void Register(Thread thread)
        {
            SchedTrace.RecordThread(thread);
            if (s_allCount == s_all.Length)
            {
                Thread[] larger = new Thread[s_all.Length * 2];
                for (int i = 0; i < s_allCount; i++) larger[i] = s_all[i];
                Mem.KernelHeap.Free(s_all);
                s_all = larger;
            }
            s_all[s_allCount++] = thread;
        }

        /// <summary>Every thread that exists (for ps); index past the end gives null.</summary>
        public static Thread ThreadAt(int index) => index < s_allCount ? s_all[index] : null;

        public static int ThreadCount => s_allCount;

        /// <summary>Makes a new thread runnable.</summary>
        public static void Start(Thread thread)
        {
            bool flags = Lock.Acquire();
            Register(thread);
            MakeReadyLocked(thread);
            Lock.Release(flags);
        }

        private static void MakeReadyLocked(Thread thread)
        {
            thread.State = ThreadState.Ready;
            thread.WaitingOn = null;
            s_ready.Enqueue(thread);
        }

        public static int ReadyCount => s_ready.Count;

        // ---- Giving up the CPU ----

        /// <summary>The yield syscall: back of the queue, let the next thread run.</summary>
        public static void Yield()
        {
            bool flags = Lock.Acquire();
            Thread current = Current;
            if (s_ready.Count > 0)
            {
                MakeReadyLocked(current);
                SwitchLocked(SwitchReason.Yielded);
            }
            Lock.Release(flags);
        }

        /// <summary>Sleeps at least <paramref name="ticks"/> timer ticks.</summary>
        public static void Sleep(ulong ticks)
        {
            bool flags = Lock.Acquire();
            Thread current = Current;
            current.State = ThreadState.Sleeping;
            current.WakeAtTick = Time.Clock.Ticks + ticks;
            s_sleeping.Enqueue(current);
            SwitchLocked(SwitchReason.Sleep);
            Lock.Release(flags);
        }

        /// <summary>
        /// Blocks the running thread on <paramref name="queue"/> until someone wakes it. Call with
        /// <see cref="Lock"/> held, after finding the condition false; it is held again on return, and
        /// the caller re-checks the condition (another thread may have got there first).
        /// </summary>
        public static void WaitLocked(WaitQueue queue)
        {
            Thread current = Current;
            current.State = ThreadState.Blocked;
            current.WaitingOn = queue;
            queue.Add(current);
            SwitchLocked(SwitchReason.Blocked);
        }

        /// <summary>Wakes every thread waiting on <paramref name="queue"/> (with <see cref="Lock"/> held).</summary>
        public static void WakeAllLocked(WaitQueue queue)
        {
            Thread waiter;
            while ((waiter = queue.TakeFirst()) != null)
                if (waiter.State == ThreadState.Blocked) MakeReadyLocked(waiter);
        }

        public static void WakeAll(WaitQueue queue)
        {
            bool flags = Lock.Acquire();
            WakeAllLocked(queue);
            Lock.Release(flags);
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
        }

        /// <summary>
        /// Ends the running thread. Its stack is freed by the next thread to run on this CPU (we are
        /// still standing on it); the Thread itself stays as a zombie until joined or reaped.
        /// </summary>
        public static void ExitCurrent(int exitCode)
        {
            bool flags = Lock.Acquire();
            Thread current = Current;
            current.ExitCode = exitCode;
            current.State = ThreadState.Zombie;
            WakeAllLocked(current.Joiners);
            Processor.Current.ExitedThread = current;
            SwitchLocked(SwitchReason.Exited);
            Lock.Release(flags);    // not reached
        }

        [RuntimeExport("kernel_thread_exit")]
        private static void KernelThreadExit(int exitCode) => ExitCurrent(exitCode);

        // ---- The timer ----

        /// <summary>IRQ 0 (interrupts off): charge the tick, wake sleepers, decide on preemption.</summary>
        private static void OnTimerTick(TrapFrame* frame)
        {
            bool flags = Lock.Acquire();
            Processor cpu = Processor.Current;
            Thread current = cpu.CurrentThread;
            current.CpuTicks++;
            if (current.IsIdle) cpu.IdleTicks++;

            for (int i = s_sleeping.Count - 1; i >= 0; i--)
            {
                Thread sleeper = s_sleeping.Peek(i);
                if (sleeper.WakeAtTick > Time.Clock.Ticks) continue;
                s_sleeping.Remove(sleeper);
                MakeReadyLocked(sleeper);
            }

            if (current.IsIdle ? s_ready.Count > 0 : --current.QuantumLeft <= 0 && s_ready.Count > 0)
                s_rescheduleRequested = true;
            Lock.Release(flags);
        }

        /// <summary>Called by the dispatcher as a trap finishes: switch if the timer asked for it.</summary>
        public static void PreemptIfRequested()
        {
            if (!s_rescheduleRequested) return;
            bool flags = Lock.Acquire();
            s_rescheduleRequested = false;
            Thread current = Current;
            if (s_ready.Count > 0 && current.State == ThreadState.Running)
            {
                if (!current.IsIdle) MakeReadyLocked(current);
                SwitchLocked(current.IsIdle ? SwitchReason.Start : SwitchReason.Quantum);
            }
            Lock.Release(flags);
        }

        // ---- The switch itself ----

        /// <summary>
        /// Picks the next thread and switches to it. The caller holds <see cref="Lock"/> and has already
        /// set the current thread's new State (and queued it, if it stays runnable).
        /// </summary>
        private static void SwitchLocked(SwitchReason reason)
        {
            Processor cpu = Processor.Current;
            Thread previous = cpu.CurrentThread;
            Thread next = s_ready.Dequeue() ?? cpu.IdleThread;
            if (next == previous)
            {
                previous.State = ThreadState.Running;
                return;
            }

            next.State = ThreadState.Running;
            next.QuantumLeft = Scheduler.QuantumTicks;
            next.LastCpu = cpu.Id;
            cpu.CurrentThread = next;
            Switches++;
            SchedTrace.Record(cpu.Id, previous, next, reason);

            // The next thread's view of memory: its process's address space (kernel threads keep
            // whatever is loaded; the kernel half is the same in all of them).
            if (next.Process != null && next.Process != previous.Process)
                PageTables.Activate(next.Process.AddressSpace.Pml4);
            cpu.UseKernelStack(next.KernelStackTop);

            fixed (ulong* save = &previous.SavedStackPointer)
                ContextSwitch(save, next.SavedStackPointer);

            // We are `previous` again, resumed by some other thread's switch.
            FinishSwitch();
        }

        /// <summary>Runs right after every switch, on the incoming thread: free what the outgoing one left.</summary>
        private static void FinishSwitch()
        {
            Processor cpu = Processor.Current;
            Thread exited = cpu.ExitedThread;
            if (exited != null && exited != cpu.CurrentThread)
            {
                cpu.ExitedThread = null;
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
            Lock.Release(false);    // interrupts come on in the thread itself (sti, or iretq to ring 3)
        }

        /// <summary>Forgets a zombie thread for good (after join or process reaping). Lock held.</summary>
        public static void Reap(Thread thread)
        {
            for (int i = 0; i < s_allCount; i++)
            {
                if (s_all[i] != thread) continue;
                s_all[i] = s_all[--s_allCount];
                s_all[s_allCount] = null;
                break;
            }
            thread.Release();
        }

        /// <summary>Waits for <paramref name="thread"/> to exit and returns its exit code; frees it.</summary>
        public static int Join(Thread thread)
        {
            bool flags = Lock.Acquire();
            while (thread.State != ThreadState.Zombie) WaitLocked(thread.Joiners);
            // Its stack may still be freed by FinishSwitch on the CPU it exited on; wait for that.
            while (thread.Stack != null)
            {
                Lock.Release(flags);
                Yield();
                flags = Lock.Acquire();
            }
            int exitCode = thread.ExitCode;
            Reap(thread);
            Lock.Release(flags);
            return exitCode;
        }
    }
}
