namespace TeachOS
{
    /// <summary>
    /// Fails the running test if it has not finished in time: a test of blocking must not hang its suite
    /// when the kernel lets a thread block for ever. It prints the check that failed and ends the program
    /// with status 1 (exit from this thread kills the blocked ones, if the kernel can).
    /// </summary>
    public static unsafe class Watchdog
    {
        private static volatile int s_running;
        private static string s_what;
        private static int s_thread;

        public static void Start(string what, int milliseconds)
        {
            s_what = what;
            s_running = 1;
            s_thread = UserThread.Start(&Watch, (ulong)milliseconds, "watchdog");
        }

        public static void Stop()
        {
            s_running = 0;
            Sys.ThreadJoin(s_thread);
        }

        private static int Watch(ulong milliseconds)
        {
            for (ulong waited = 0; waited < milliseconds; waited += 10)
            {
                if (s_running == 0) return 0;
                Sys.Sleep(10);
            }
            Console.WriteLine("  check failed: " + s_what + ": still blocked after " + (long)milliseconds + " ms");
            Console.WriteLine("FAILED (the watchdog ends the program)");
            Sys.Exit(1);
            return 1;
        }
    }
}
