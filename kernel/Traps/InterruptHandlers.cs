using Drivers;

namespace Traps
{
    /// <summary>
    /// Step 4 for device interrupts: which driver handles which IRQ line. Each handler runs with
    /// interrupts off, must be quick, and may not block or allocate; it records what happened
    /// (a tick, a byte of input) for the rest of the kernel to act on.
    /// </summary>
    public static unsafe class InterruptHandlers
    {
        public static ulong[] Counts = new ulong[TrapVectors.IrqCount];

        public static void Handle(int irq, TrapFrame* frame)
        {
            Counts[irq]++;
            switch (irq)
            {
                case TrapVectors.TimerIrq:
                    Time.Clock.Tick();
                    if (TimerHook != null) TimerHook(frame);
                    break;
                case TrapVectors.KeyboardIrq:
                    Keyboard.HandleInterrupt();
                    break;
                case TrapVectors.SerialIrq:
                    Serial.HandleInterrupt();
                    break;
            }
        }

        /// <summary>Set by the scheduler: runs on every timer tick, after the clock advanced.</summary>
        public static delegate*<TrapFrame*, void> TimerHook;
    }
}
