using Arch.X64;
using Sched;
using TeachOS.Boundary;

namespace Drivers
{
    /// <summary>
    /// What the user types, from the PS/2 keyboard (the QEMU window) or the serial port (the terminal),
    /// in one queue. Interrupt handlers add; readers take, and a reader with nothing to take waits
    /// on <see cref="Readers"/> until a handler wakes it.
    /// Lock: the queue is protected by Scheduler.ThreadStateLock, the same lock that guards going to
    /// sleep, so "the queue is empty, so I wait" cannot miss a byte that arrives in between.
    /// </summary>
    public static class ConsoleInput
    {
        // 4 KiB, as Linux's terminal buffer (N_TTY_BUF_SIZE): typed-ahead or pasted lines wait here while
        // the shell runs a command. A serial line gives a byte only when the kernel has taken the last, so
        // a paste longer than the queue loses its end: 256 bytes did, for a few commands pasted at once.
        private static InputQueue s_queue = new InputQueue(4096);

        public static readonly WaitQueue Readers = new WaitQueue("console input");

        public static ulong Dropped => s_queue.Dropped;

        /// <summary>Called from the keyboard and serial interrupt handlers.</summary>
        [InterruptContext]
        public static void Put(byte value)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            s_queue.Put(value);
            Scheduler.WakeAllLocked(Readers);
            Scheduler.ThreadStateLock.Release(flags);
        }

        public static bool TryTake(out byte value)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            bool taken = s_queue.TryTake(out value);
            Scheduler.ThreadStateLock.Release(flags);
            return taken;
        }

        /// <summary>
        /// Takes a byte, blocking until one arrives. A blocked reader uses no CPU: it is not in the run
        /// queue at all until the interrupt handler wakes it. False if the process was killed meanwhile.
        /// </summary>
        public static bool Take(out byte value)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            bool taken;
            while (!(taken = s_queue.TryTake(out value)))
            {
                if (Scheduler.IsKilled(Scheduler.Current)) break;
                Scheduler.WaitLocked(Readers);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return taken;
        }

        /// <summary>Waits (halting between interrupts) until a byte arrives or <paramref name="timeoutTicks"/> pass.</summary>
        public static bool WaitTake(out byte value, ulong timeoutTicks)
        {
            ulong deadline = Time.Clock.Ticks + timeoutTicks;
            while (!TryTake(out value))
            {
                if (Time.Clock.Ticks >= deadline) return false;
                Interrupts.Halt();
            }
            return true;
        }
    }
}
