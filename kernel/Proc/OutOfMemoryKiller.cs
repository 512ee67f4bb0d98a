using Mem;
using Sched;
using Terminal;

namespace Proc
{
    /// <summary>
    /// When memory truly runs out, one process dies so that the rest can go on. TeachOS maps or promises
    /// every user page when it is asked for (sbrk, mmap, spawn), so a user's own pages simply fail with
    /// -ENOMEM at the frame reserve (Mem/MemoryBudget.cs) and need no killing. What can still run the kernel dry is the
    /// kernel memory it takes on users' behalf (kernel stacks, buffers, heap growth) eating into the
    /// reserve: once free frames are below the critical level, such a request fails with -ENOMEM and
    /// calls <see cref="RelieveIfCritical"/>, which kills the process holding the most memory.
    ///
    /// The policy (Proc/VictimChoice.cs, tested on the host), a simplified Linux oom_badness: a
    /// process's badness is the frames it holds, user pages (mapped, or promised to its lazy pages)
    /// plus kernel memory charged to it
    /// (Proc/Limits.cs). Never init (whose exit powers TeachOS off), never a process already exiting,
    /// and one victim at a time: while a killed victim still holds its memory, nobody else is killed
    /// (its frames are on their way back). The victim's threads exit at their next chance, as with
    /// kill; its memory comes back when its last thread has exited, so the request that triggered the
    /// killer still fails, and the same request a moment later succeeds.
    /// </summary>
    public static class OutOfMemoryKiller
    {
        private const int KilledStatus = 128 + 9;       // as if by SIGKILL, as kill(2) does

        /// <summary>Processes killed for memory since boot.</summary>
        public static int Kills { get; private set; }

        /// <summary>Kills the worst process if free memory is below the critical level. No lock held.</summary>
        public static void RelieveIfCritical()
        {
            if (MemoryBudget.CanAllocateKernelFrames(KernelStack.Pages)) return;

            bool flags = Scheduler.ThreadStateLock.Acquire();
            var choice = new VictimChoice();
            for (int i = 0; i < Processes.Count; i++)
            {
                Process process = Processes.At(i);
                // A zombie holds no memory; LiveThreads is 0 once the last thread is on its way out.
                if (process.IsZombie || process.LiveThreads == 0) continue;
                choice.Consider(i, process.Killed ? 0 : Badness(process), exempt: process == Processes.Init, dying: process.Killed);
            }
            Process victim = choice.Victim < 0 ? null : Processes.At(choice.Victim);
            ulong worst = choice.Frames;
            if (victim != null)
            {
                Kills++;
                // Reported and killed in this lock hold: the victim cannot exit and be freed meanwhile.
                Console.WriteLine($"out of memory: killed process {victim.Id} ({victim.Name}), {worst} frames");
                victim.ExitStatus = KilledStatus;
                Processes.KillLocked(victim);
            }
            Scheduler.ThreadStateLock.Release(flags);
        }

        // Frames the process holds: its user pages, and the kernel memory charged to it. Lock held, and
        // the process has live threads, so its address space still exists.
        private static ulong Badness(Process process) =>
            process.AddressSpace.MappedPages + process.AddressSpace.PromisedPages + MemoryBudget.FramesFor(process.KernelBytes);
    }
}
