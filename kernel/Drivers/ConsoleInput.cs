using Arch.X64;

namespace Drivers
{
    /// <summary>
    /// What the user types, from the PS/2 keyboard (the QEMU window) or the serial port (the terminal),
    /// in one queue. Interrupt handlers add; the kernel takes with interrupts off so a handler cannot
    /// change the queue halfway through.
    /// </summary>
    public static class ConsoleInput
    {
        private static InputQueue s_queue = new InputQueue(256);

        public static ulong Dropped => s_queue.Dropped;

        /// <summary>Called from the keyboard and serial interrupt handlers (interrupts are off).</summary>
        public static void Put(byte value) => s_queue.Put(value);

        public static bool TryTake(out byte value)
        {
            bool enabled = Cpu.InterruptsEnabled;
            Cpu.DisableInterrupts();
            bool taken = s_queue.TryTake(out value);
            if (enabled) Cpu.EnableInterrupts();
            return taken;
        }

        /// <summary>Waits (halting between interrupts) until a byte arrives or <paramref name="timeoutTicks"/> pass.</summary>
        public static bool WaitTake(out byte value, ulong timeoutTicks)
        {
            ulong deadline = Time.Clock.Ticks + timeoutTicks;
            while (!TryTake(out value))
            {
                if (Time.Clock.Ticks >= deadline) return false;
                Cpu.Halt();
            }
            return true;
        }
    }
}
