using System.Runtime;
using System.Runtime.CompilerServices;
using Arch.X64;
using Mem;

namespace Sched
{
    /// <summary>
    /// The scheduler (Sched/Scheduler.cs), part four: the switch from one thread to the next, on the
    /// kernel stack of the one that gives up its CPU: the policy's choice, the bookkeeping, the next
    /// thread's address space and kernel stack, and context_switch (Sched/ContextSwitch.asm); then
    /// what the next thread finishes for the one before (an exited thread's stack).
    /// </summary>
    public static unsafe partial class Scheduler
    {
        /// <summary>Thread switches since boot, on all CPUs (each CPU counts its own: <see cref="Processor.Switches"/>).</summary>
        public static ulong Switches
        {
            get
            {
                ulong total = 0;
                for (int i = 0; i < Processor.Count; i++) total += Processor.All[i]?.Switches ?? 0;   // (a CPU still starting has no entry yet)
                return total;
            }
        }

        /// <summary>Saves this thread's stack pointer, runs the next thread; returns, when this thread runs again, the CPU it runs on.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "context_switch")]
        private static extern object ContextSwitch(ulong* saveStackPointer, ulong nextStackPointer);

        /// Asks the policy for the next thread and switches to it. The caller holds
        /// <see cref="ThreadStateLock"/> and has already set the current thread's new State (and queued
        /// it, if it stays runnable).
        /// </summary>
        private static void SwitchLocked(SwitchReason reason)
        {
            Processor cpu = Processor.Current;
            SwitchLocked(cpu, cpu.CurrentThread, reason);
        }

        /// <summary>
        /// The same, for a caller that has <paramref name="cpu"/> and its running thread,
        /// <paramref name="previous"/>, at hand already. Compiled into its callers: <see cref="Yield"/>,
        /// the one that a program can call in a loop, saves the call and a second entry and exit, and
        /// the compiler, which saw Yield use the thread, knows it is not null (no check, no second
        /// read of cpu.CurrentThread); everyone else goes through the one copy above.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void SwitchLocked(Processor cpu, Thread previous, SwitchReason reason)
        {
            ISchedulingPolicy policy = Policy;           // a local: read once, not at each of its calls
            Thread next = policy.TakeNext(cpu) ?? cpu.IdleThread;
            if (next == previous)
            {
                previous.State = ThreadState.Running;
                policy.ContinueTurn(previous);
                return;
            }

            next.State = ThreadState.Running;
            policy.StartTurn(next);
            next.LastCpu = cpu.Id;
            cpu.Run(next);
            cpu.Switches++;
            if (SchedTrace.Enabled) SchedTrace.Record(cpu.Id, previous, next, reason);

            // The next thread's view of memory: its process's address space, or the kernel's own for
            // a kernel thread (never keep a process's tables loaded that may be freed meanwhile).
            AddressSpace space = next.Owner?.AddressSpace;
            if (cpu.LoadedSpace != space || next.GuestRoot != 0) UseAddressSpace(cpu, space, next.GuestRoot);  // not when two threads of one process take turns
            cpu.UseKernelStack(next.KernelStackTop);

            // (A pointer without `fixed`: nothing moves objects in this kernel, and `fixed` would cost
            // a pinned local, zeroed before and after, on every switch.)
            object resumedOn = ContextSwitch((ulong*)Unsafe.AsPointer(ref previous.SavedStackPointer), next.SavedStackPointer);

            // We are `previous` again, resumed by some other thread's switch (perhaps on another CPU:
            // `cpu` is where we left, `resumedOn` where we are). Rarely is there anything to finish:
            // the test is here, the work in FinishSwitch.
            if (Unsafe.As<Processor>(resumedOn).ExitedThread != null) FinishSwitch();
        }

        /// <summary>
        /// Makes this CPU use <paramref name="space"/> (null: the kernel's own tables): loads its tables
        /// and tells Memory's TLB shootdowns, which learn from that record which CPUs run which address
        /// space. Nothing to do when the CPU uses it already, as when two threads of one process take
        /// turns. Every change of a CPU's tables goes through here (the switch, exec, a process's
        /// exit), so <see cref="Processor.LoadedSpace"/> is always what the CPU has loaded. Interrupts
        /// off (the lock held), so that no switch comes between the record and the tables.
        /// </summary>
        public static void UseAddressSpace(Processor cpu, AddressSpace space, ulong guestRoot = 0)
        {
            if (guestRoot != 0)
            {
                // A deprivileged guest's tables (Virt/TrapEmulate) hold none of the process's pages: while
                // they are loaded the CPU runs no process's space, as far as shootdowns are concerned. The
                // record says "a guest's" (a space no process has), so that the next switch to any thread,
                // even one of the same process, differs from it and loads that thread's tables: the switch
                // needs no test of its own for leaving a guest.
                cpu.LoadedSpace = GuestTables;
                TlbShootdown.Running(null);
                if (PageTables.ActiveRoot != guestRoot) PageTables.Activate(guestRoot);
                return;
            }
            if (cpu.LoadedSpace == space) return;
            cpu.LoadedSpace = space;
            TlbShootdown.Running(space);
            ulong pml4 = space != null ? space.Pml4 : KernelAddressSpace.Pml4;
            if (PageTables.ActiveRoot != pml4) PageTables.Activate(pml4);   // writing CR3 flushes the TLB: skip it when unchanged
        }

        /// <summary>
        /// What <see cref="Processor.LoadedSpace"/> says while a deprivileged guest's tables are loaded: a
        /// space no process owns, never loaded itself. Made at boot (<see cref="Initialize"/>), not by a
        /// field initializer: that would put a class-constructor check on this class's statics.
        /// </summary>
        private static AddressSpace GuestTables;

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
