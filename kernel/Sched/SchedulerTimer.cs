using System.Runtime.CompilerServices;
using Sync;
using TeachOS.Boundary;

namespace Sched
{
    /// <summary>
    /// The scheduler (Sched/Scheduler.cs), part three: the timer. Each tick is charged to the running
    /// thread, wakes the sleepers that are due and asks the policy whether the turn is over; a switch
    /// it asks for happens on the way out of the trap (<see cref="PreemptIfRequested"/>).
    /// </summary>
    public static unsafe partial class Scheduler
    {
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

            current.Owner?.TickLocked();            // the process's control group counts it too (cpu.stat)
            // Its CPU budget (cpu.max) pays for the tick; once it is spent the policy ends the turn
            // (Sched/CpuBandwidth.cs HoldsBackLocked) and picks none of the group's threads until the period ends.
            // Its share (cpu.weight) counts the tick at its weight.
            uint tickUsec = 1000000 / Time.Clock.Hertz;
            ulong nowUsec = Time.Clock.Ticks * tickUsec;
            CpuBandwidth.AdvanceClockLocked(nowUsec);
            CpuBandwidth budget = current.Owner?.Bandwidth;
            if (budget != null) CpuBandwidth.ChargeLocked(budget, tickUsec, nowUsec);
            CpuShare share = current.Owner?.Share;
            if (share != null) CpuShare.ChargeLocked(share, tickUsec);
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
    }
}
