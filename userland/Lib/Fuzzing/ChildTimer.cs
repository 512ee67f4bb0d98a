namespace TeachOS.Fuzzing
{
    /// <summary>
    /// Kills a child process that runs too long: a fuzzed call that blocks for ever must cost one
    /// child, not the whole run. One thread watches one child at a time; the program's main thread
    /// waits for the child as usual, and wait returns (status 137) once the timer has killed it.
    /// </summary>
    public static unsafe class ChildTimer
    {
        private static volatile int s_watched, s_stop, s_fired;
        private static long s_deadline;
        private static int s_thread;

        public static void Start()
        {
            s_stop = 0;
            s_thread = UserThread.Start(&Watch, 0, "child-timer");
        }

        /// <summary>Watches <paramref name="pid"/>: killed if it still runs after <paramref name="milliseconds"/>.</summary>
        public static void Watch(int pid, long milliseconds)
        {
            s_fired = 0;
            s_deadline = Sys.Uptime() + milliseconds;
            s_watched = pid;
        }

        /// <summary>Stops watching; true if the timer killed the child.</summary>
        public static bool Disarm()
        {
            s_watched = 0;
            return s_fired != 0;
        }

        public static void Stop()
        {
            s_stop = 1;
            Sys.ThreadJoin(s_thread);
        }

        private static int Watch(ulong unused)
        {
            while (s_stop == 0)
            {
                Sys.Sleep(20);
                int pid = s_watched;
                if (pid != 0 && Sys.Uptime() > s_deadline)
                {
                    s_fired = 1;
                    s_watched = 0;
                    Sys.Kill(pid);
                }
            }
            return 0;
        }
    }
}
