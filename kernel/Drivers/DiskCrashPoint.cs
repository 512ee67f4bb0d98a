using Arch.X64;
using Boot;
using Diagnostics;
using Sched;
using TeachOS.Boundary;
using Terminal;

namespace Drivers
{
    /// <summary>
    /// A power failure at a chosen moment, for real boots: `crash-after-writes=N` on the command line
    /// stops the machine just before the (N+1)th block write would reach the disk, so the image holds
    /// exactly the first N writes (the boot's own writes included) and nothing after. The next boot
    /// then finds what a crash at that point leaves: the file system's recovery must cope.
    ///
    /// Killing QEMU from outside cannot do this: the writes QEMU has finished are in the host's page
    /// cache and land on the image anyway, and which ones is a matter of timing. Here the guest
    /// decides: the writer that draws number N+1 stops every later writer, waits until writes 1..N
    /// have finished (several CPUs may have some in flight), prints `disk: crash after N writes` and
    /// ends QEMU through the debug-exit device with <see cref="DebugExit.StatusDiskCrashPoint"/>, or,
    /// without the device (`make run`), halts every CPU.
    /// </summary>
    public static unsafe class DiskCrashPoint
    {
        private static long s_limit = -1;          // -1: no crash point
        private static ulong s_started, s_finished;
        private static readonly WaitQueue s_writesFinishing = new WaitQueue("disk crash point: writes finishing");
        private static readonly WaitQueue s_stopped = new WaitQueue("disk crash point: stopped writers");

        public static bool Armed => s_limit >= 0;

        /// <summary>Reads `crash-after-writes=N` from the command line (at boot, before the first write).</summary>
        public static void Configure()
        {
            string limit = CommandLine.Get("crash-after-writes");
            if (limit == null) return;
            if (int.TryParse(limit, out int writes) && writes >= 0)
            {
                s_limit = writes;
                Console.WriteLine($"disk: the machine stops before write {writes + 1} (crash-after-writes={writes})");
            }
            else
            {
                Console.WriteLine($"disk: crash-after-writes={limit} is not a count of writes; no crash point");
            }
        }

        [MayBlock]
        internal static void BeforeWrite()
        {
            if (s_limit < 0) return;
            ulong number;
            fixed (ulong* started = &s_started) number = Atomic.Add(started, 1);
            if (number <= (ulong)s_limit) return;
            if (number == (ulong)s_limit + 1) Crash();
            StopForever();
        }

        internal static void AfterWrite()
        {
            if (s_limit < 0) return;
            fixed (ulong* finished = &s_finished) Atomic.Add(finished, 1);
            Scheduler.WakeAll(s_writesFinishing);
        }

        /// <summary>The (N+1)th writer: wait for the writes before it, then stop the machine.</summary>
        [MayBlock]
        private static void Crash()
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            while (System.Threading.Volatile.Read(ref s_finished) < (ulong)s_limit)
                Scheduler.WaitLocked(s_writesFinishing);
            Scheduler.ThreadStateLock.Release(flags);

            Console.WriteLine($"disk: crash after {s_limit} writes");
            Interrupts.Disable();
            LocalApic.SendToAllOthers(TrapVectors.HaltIpi);      // nobody else gets to touch the disk
            DebugExit.Report(DebugExit.StatusDiskCrashPoint);
            Interrupts.HaltForever();
        }

        /// <summary>A writer after the crash point: its write must never happen. It sleeps until QEMU stops.</summary>
        [MayBlock]
        private static void StopForever()
        {
            Scheduler.ThreadStateLock.Acquire();
            while (true) Scheduler.WaitLocked(s_stopped);      // nobody wakes this queue; a kill only loops
        }
    }
}
