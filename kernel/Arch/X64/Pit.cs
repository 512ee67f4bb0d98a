namespace Arch.X64
{
    /// <summary>
    /// The Programmable Interval Timer (Intel 8253/8254): a counter driven by a 1.193182 MHz clock.
    /// Channel 0 in "rate generator" mode counts down from a divisor and raises IRQ 0 each time it
    /// reaches zero, so IRQ 0 fires 1193182 / divisor times a second. https://wiki.osdev.org/PIT
    /// </summary>
    public static class Pit
    {
        public const uint InputFrequency = 1193182;
        private const ushort Channel0Data = 0x40;
        private const ushort ModeCommand = 0x43;
        private const byte Channel0LowHighRateGenerator = 0x34;   // channel 0, lobyte/hibyte, mode 2

        /// <summary>Starts IRQ 0 at (about) <paramref name="hertz"/>; returns the exact rate achieved.</summary>
        public static uint Start(uint hertz)
        {
            uint divisor = InputFrequency / hertz;
            if (divisor < 1) divisor = 1;
            if (divisor > 65535) divisor = 65535;
            Cpu.Out8(ModeCommand, Channel0LowHighRateGenerator);
            Cpu.Out8(Channel0Data, (byte)divisor);
            Cpu.Out8(Channel0Data, (byte)(divisor >> 8));
            return InputFrequency / divisor;
        }
    }
}
