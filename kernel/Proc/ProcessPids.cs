using Namespaces;

namespace Proc
{
    /// <summary>
    /// Processes and their PID namespaces (Namespaces/PidNamespace.cs): the pids a process gets when it joins
    /// the process list (one per level), the pid a viewer sees, who adopts orphans, and the end of a
    /// namespace when its init exits (Proc/NamespaceInitExit.cs waits for the rest to die).
    /// </summary>
    public static class ProcessPids
    {
        private const int KilledStatus = 137;    // 128 + SIGKILL, as kill's (Syscalls/ProcessSyscalls.cs)

        /// <summary>The pid of <paramref name="process"/> as <paramref name="viewer"/> numbers it; 0 if it is not visible there.</summary>
        public static int PidIn(Process process, PidNamespace viewer)
        {
            if (process == null || process.Pids == null || viewer == null) return 0;
            return viewer.Contains(process.PidNamespace) ? process.Pids[viewer.Level] : 0;
        }

        /// <summary>
        /// Numbers a process being added to the process list: it takes a pid in <paramref name="home"/> and in
        /// each ancestor (the initial namespace's is its Id), and a reference to <paramref name="home"/>; the
        /// first process of a namespace becomes its init. The pid array was allocated by the caller
        /// (<paramref name="pids"/>, Level + 1 long). Scheduler.ThreadStateLock held.
        /// </summary>
        public static void NumberLocked(Process process, PidNamespace home, int[] pids)
        {
            process.PidNamespace = home.Hold();
            process.Pids = pids;
            for (PidNamespace level = home; level != null; level = level.Parent)
                pids[level.Level] = level.Level == 0 ? process.Id : level.TakePidLocked();
            if (home.Init == null && home.Level > 0) home.Init = process;
        }

        /// <summary>
        /// The process that adopts the children of <paramref name="exiting"/>: the init of its namespace, or, if
        /// that is the exiting process itself or gone already, the nearest live init above. Null when the
        /// initial namespace's init itself exits. Scheduler.ThreadStateLock held.
        /// </summary>
        public static Process ReaperFor(Process exiting, Process initialInit)
        {
            for (PidNamespace level = exiting.PidNamespace; level != null; level = level.Parent)
            {
                Process init = level.Level == 0 ? initialInit : (Process)level.Init;
                if (init != null && init != exiting && !init.IsZombie) return init;
            }
            return null;
        }

        /// <summary>
        /// The init of <paramref name="ended"/> is exiting: every other process of the namespace and of those
        /// below it is killed, and no new one may join. Scheduler.ThreadStateLock held.
        /// </summary>
        public static void EndLocked(PidNamespace ended, Process exitingInit)
        {
            ended.Ended = true;
            for (int i = 0; i < Processes.Count; i++)
            {
                Process process = Processes.At(i);
                if (process != exitingInit && !process.Killed && ended.Contains(process.PidNamespace))
                {
                    process.ExitStatus = KilledStatus;
                    Processes.KillLocked(process);
                }
            }
        }
    }
}
