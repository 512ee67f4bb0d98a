using Abi;
using Proc;
using Sched;
using Time;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>Handlers for time syscalls: sleep, uptime, yield.</summary>
    [SyscallHandlers]
    public static class TimeSyscalls
    {
        /// <summary>sleep(milliseconds): blocks at least that long. -EINTR if killed meanwhile.</summary>
        public static long Sleep(long milliseconds)
        {
            if (milliseconds < 0) return -Errno.EINVAL;
            ulong ticks = ((ulong)milliseconds * Clock.Hertz + 999) / 1000;
            if (ticks > 0) Scheduler.Sleep(ticks);
            return Scheduler.IsKilled(Scheduler.Current) ? -Errno.EINTR : 0;
        }

        /// <summary>uptime(): milliseconds since boot.</summary>
        public static long Uptime() => (long)Clock.UptimeMilliseconds;

        /// <summary>yield(): lets the next ready thread run first.</summary>
        public static long Yield()
        {
            Scheduler.Yield();
            return 0;
        }
    }
}
