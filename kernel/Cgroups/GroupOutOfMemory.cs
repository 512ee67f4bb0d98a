using Mem;
using Proc;
using Sched;
using Terminal;

namespace Cgroups
{
    /// <summary>
    /// The OOM kill of a control group, Linux's memory.max answer: when a group is at its memory.max and
    /// an allocation in it is refused, a process of that group (or a group below it), the one that holds
    /// the most of its memory, is killed, and nothing outside the group is touched. memory.events counts
    /// `oom` (the killer ran for this group's limit) and `oom_kill` (it killed).
    ///
    /// When: after the refusal, once every lock is let go. The refusal itself happens deep down, under
    /// the charge's spin lock (Mem/MemoryCharge.cs, inside an address space's lock), where no process can
    /// be killed; so the refused charge only marks the group whose limit it was
    /// (<see cref="ControlGroup.OutOfMemoryPending"/>), and the syscall that got -ENOMEM (sbrk, mmap, fork,
    /// spawn, exec: Syscalls/ProcessSyscalls.cs, Syscalls/MemorySyscalls.cs) calls <see cref="RelieveAfterRefusal"/>
    /// on its way out.
    ///
    /// Whom: the policy of the system-wide killer (Proc/VictimChoice.cs: the most frames, never init, and
    /// nobody while an earlier victim is still dying), over the group's processes, counting their user
    /// pages (what memory.max counts). One difference from Linux, which may kill the process that asked:
    /// TeachOS refuses every allocation up front, so the asking process has just been told, with -ENOMEM,
    /// and may give memory back or exit; it is spared. The one that is killed is another process of the
    /// group, which holds the memory and is told nothing. A process alone in its group is only refused.
    /// As with the system-wide killer, the refused allocation still fails; the same one a moment later,
    /// once the victim's frames are back, succeeds.
    /// </summary>
    public static class GroupOutOfMemory
    {
        private const int KilledStatus = 128 + 9;       // as if by SIGKILL, as kill(2) does

        /// <summary>
        /// <paramref name="asking"/>'s allocation was refused with -ENOMEM: if a group's memory.max on
        /// its path refused it, kill that group's largest other process. No lock held.
        /// </summary>
        public static void RelieveAfterRefusal(Process asking)
        {
            ControlGroup limiting = TakePending(asking.Group as ControlGroup);
            if (limiting == null) return;                   // the system's reserve said no, not a group: Proc/OutOfMemoryKiller.cs

            bool flags = Scheduler.ThreadStateLock.Acquire();
            limiting.OutOfMemoryEvents++;
            var choice = new VictimChoice();
            for (int i = 0; i < Processes.Count; i++)
            {
                Process process = Processes.At(i);
                // A zombie holds no memory; LiveThreads is 0 once the last thread is on its way out.
                if (process.IsZombie || process.LiveThreads == 0 || !IsWithin(process.Group as ControlGroup, limiting)) continue;
                bool exempt = process == asking || process == Processes.Init;
                choice.Consider(i, process.Killed ? 0 : UserPages(process), exempt, dying: process.Killed);
            }
            Process victim = choice.Victim < 0 ? null : Processes.At(choice.Victim);
            if (victim != null)
            {
                limiting.OutOfMemoryKills++;
                // Reported and killed in this lock hold: the victim cannot exit and be freed meanwhile.
                Console.WriteLine($"memory.max: killed process {victim.Id} ({victim.Name}) of its control group, {choice.Frames} frames");
                victim.ExitStatus = KilledStatus;
                Processes.KillLocked(victim);
            }
            Scheduler.ThreadStateLock.Release(flags);
        }

        // The highest group on the path marked by a refusal (its limit was the one that held), with every
        // mark on the path cleared: each refusal is answered once.
        private static ControlGroup TakePending(ControlGroup group)
        {
            ControlGroup limiting = null;
            bool flags = MemoryCharge.Lock.Acquire();
            for (; group != null; group = group.Parent)
            {
                if (!group.OutOfMemoryPending) continue;
                group.OutOfMemoryPending = false;
                limiting = group;
            }
            MemoryCharge.Lock.Release(flags);
            return limiting;
        }

        private static bool IsWithin(ControlGroup group, ControlGroup ancestor)
        {
            for (; group != null; group = group.Parent)
                if (group == ancestor) return true;
            return false;
        }

        // What memory.max counts of it: its mapped pages and those promised to its lazy pages. Lock held,
        // and the process has live threads, so its address space exists.
        private static ulong UserPages(Process process) =>
            process.AddressSpace == null ? 0 : process.AddressSpace.MappedPages + process.AddressSpace.PromisedPages;
    }
}
