using System.Runtime.CompilerServices;
using TeachOS.Boundary;

namespace Sched
{
    /// <summary>
    /// Round-robin, on every CPU. Each CPU takes its ready threads first in, first out; the running
    /// thread keeps its CPU for a quantum (<see cref="QuantumTicks"/>), and when the quantum is spent
    /// it goes to the back of a queue if any other thread is waiting for its CPU. A CPU with nothing
    /// to run takes a thread from the busiest other CPU (work stealing); which CPU a thread that
    /// becomes ready waits on is Sched/Placement.cs's decision (SMT-aware).
    ///
    /// Pure logic over Thread and Processor fields (no locks, no hardware): tests/Host drives it with
    /// a topology of its own (tests/Host/RoundRobinPolicyTests.cs). The caller holds the scheduler's
    /// lock.
    /// </summary>
    public class RoundRobinPolicy : ISchedulingPolicy
    {
        public RoundRobinPolicy(int quantumTicks) => QuantumTicks = quantumTicks < 1 ? 1 : quantumTicks;

        public int QuantumTicks { get; }

        [InterruptContext]
        public virtual Processor ChooseCpu(Thread thread) => Placement.Choose(thread);

        /// <summary>
        /// The front of this CPU's queue, or else a thread stolen from the busiest other CPU. When the
        /// front thread belongs to a control group, the groups' CPU controller has a say (below).
        /// Asked as "is the queue empty?" first, not as Dequeue() ?? Steal(cpu): the compiler then tests
        /// the count once (Dequeue's own test goes). Compiled into the switch: every switch asks it.
        /// </summary>
        [InterruptContext]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]     // part of every switch (thread-yield-pingpong): no call of its own
        public virtual Thread TakeNext(Processor cpu)
        {
            if (cpu.Ready.Count == 0) return Placement.Steal(cpu);
            Thread next = cpu.Ready.Dequeue();
            if (CpuShare.ProcessesInGroups == 0 || next.Owner?.Share == null) return next;   // no group has a say
            return ChooseAmongGroups(cpu.Ready, next) ?? Placement.Steal(cpu);
        }

        /// <summary>
        /// <paramref name="front"/>, just taken from the front, belongs to a control group. A thread
        /// whose group has spent its cpu.max quota for this period is passed over (Sched/CpuBandwidth.cs);
        /// among the others, the first in the queue runs unless a thread of a group further behind its
        /// cpu.weight share waits (Sched/CpuShare.cs). If that is not <paramref name="front"/>, front
        /// goes to the back. Null if every thread here is held back. Threads of the root group and
        /// kernel threads are never passed over: they keep round-robin's order.
        /// </summary>
        [InterruptContext]
        [MethodImpl(MethodImplOptions.NoInlining)]     // the rare case: kept out of every switch's path (thread-yield-pingpong)
        private static Thread ChooseAmongGroups(RunQueue<Thread> queue, Thread front)
        {
            Thread best = CpuBandwidth.HoldsBackLocked(front) ? null : front;
            for (int i = 0; i < queue.Count; i++)
            {
                Thread thread = queue.Peek(i);
                if (CpuBandwidth.HoldsBackLocked(thread)) continue;
                if (best == null || CpuShare.RunsBeforeLocked(thread.Owner?.Share, best.Owner?.Share)) best = thread;
            }
            if (best == front) return front;
            if (best != null) queue.Remove(best);
            queue.TryEnqueue(front);                    // room: two were taken out
            return best;
        }

        [InterruptContext]
        public virtual bool HasWorkFor(Processor cpu) => Placement.HasWorkFor(cpu);

        [InterruptContext]
        public virtual void StartTurn(Thread thread) => thread.QuantumLeft = QuantumTicks;

        /// <summary>
        /// Nothing: the thread was alone, so its quantum stays spent, and at every tick from now on it
        /// gives way as soon as another thread is ready (it has had its turn already).
        /// </summary>
        [InterruptContext]
        public virtual void ContinueTurn(Thread thread) { }

        /// <summary>
        /// An idle CPU switches as soon as there is work for it. A busy one switches when its thread
        /// may no longer run here (its affinity changed, or its group's CPU budget is spent: the
        /// scheduler charged this tick to it just before), or when the quantum is spent and either a
        /// thread waits here or a whole core is idle while this thread shares its own (SMT balancing).
        /// </summary>
        [InterruptContext]
        public virtual bool Tick(Processor cpu, Thread running)
        {
            if (running.IsIdle) return Placement.HasWorkFor(cpu);
            bool mustLeave = (running.Affinity & (1UL << cpu.Id)) == 0 || CpuBandwidth.HoldsBackLocked(running);
            bool quantumOver = --running.QuantumLeft <= 0;
            return mustLeave || quantumOver && (cpu.Ready.Count > 0 || Placement.BetterCoreIsFree(cpu, running));
        }
    }
}
