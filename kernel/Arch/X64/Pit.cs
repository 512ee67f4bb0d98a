namespace Arch.X64
{
    /// <summary>
    /// The Programmable Interval Timer (Intel 8253/8254): counters driven by a 1.193182 MHz clock,
    /// the one clock on a PC whose speed is known in advance. TeachOS uses it only to measure the local
    /// APIC timer (Time/Clock.cs) and for the short waits of CPU bring-up (Arch/X64/ApStartup.cs). https://wiki.osdev.org/PIT
    /// </summary>
    public static class Pit
    {
        public const uint InputFrequency = 1193182;
        private const ushort ModeCommand = 0x43;

        private const ushort Channel2Data = 0x42;
        private const ushort SpeakerControl = 0x61;             // bit 0: channel 2 gate; bit 5: channel 2 output
        private const byte Channel2LowHighOneShot = 0xB0;       // channel 2, lobyte/hibyte, mode 0

        /// <summary>
        /// Busy-waits 10 ms using channel 2, which needs no interrupt: start it counting down with the
        /// gate open, and poll its output, which goes high when the count reaches zero. Used to measure
        /// the local APIC timer's speed.
        /// </summary>
        public static void Wait10Milliseconds() => WaitMicroseconds(10000);

        /// <summary>Busy-waits <paramref name="microseconds"/> (at most 54,925: the counter has 16 bits).</summary>
        public static void WaitMicroseconds(uint microseconds)
        {
            ushort count = (ushort)(InputFrequency * (ulong)microseconds / 1000000);
            Cpu.Out8(SpeakerControl, (byte)((Cpu.In8(SpeakerControl) & 0xFC) | 0x01));   // gate on, speaker off
            Cpu.Out8(ModeCommand, Channel2LowHighOneShot);
            Cpu.Out8(Channel2Data, unchecked((byte)count));
            Cpu.Out8(Channel2Data, (byte)(count >> 8));
            while ((Cpu.In8(SpeakerControl) & 0x20) == 0) Cpu.Pause();
        }
    }
}
