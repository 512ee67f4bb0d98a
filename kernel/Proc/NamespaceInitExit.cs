using Mem;
using Namespaces;
using Sched;

namespace Proc
{
    /// <summary>
    /// The exit of a PID namespace's init (Namespaces/PidNamespace.cs), Linux's zap_pid_namespace: before
    /// it becomes a zombie, the init marks the namespace ended (fork and spawn in it fail from now on),
    /// kills every other process in it and in the namespaces below, and collects its children as they die,
    /// including those it adopts meanwhile (a dying process's orphans come to it, as it is not a zombie
    /// yet). So a namespace leaves no zombies to the init above it, and the init's own parent, outside,
    /// collects the init last. A process of the namespace whose parent is outside it (a second child of the
    /// process that called unshare) is killed too, and its parent collects it as usual.
    /// </summary>
    public static class NamespaceInitExit
    {
        /// <summary>Called by the exiting init's last thread, with no lock held; returns when its children are collected.</summary>
        public static void EmptyNamespace(Process init)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            ProcessPids.EndLocked(init.PidNamespace, init);
            while (true)
            {
                Process zombie = null;
                bool hasChild = false;
                for (int i = 0; i < Processes.Count && zombie == null; i++)
                {
                    Process child = Processes.At(i);
                    if (child.Parent != init) continue;
                    hasChild = true;
                    if (child.IsZombie) zombie = child;
                }
                if (zombie != null) Processes.RemoveLocked(zombie);
                else if (!hasChild) break;
                // Not Processes.Wait: it stops at once for a killed process, and the init is one. Each
                // child's exit wakes ChildExited (its parent's queue, or the reaper's for an adopted one).
                else Scheduler.WaitLocked(init.ChildExited);
            }
            Scheduler.ThreadStateLock.Release(flags);
            KernelStack.FreeReleased();
        }
    }
}
