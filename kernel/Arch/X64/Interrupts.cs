namespace Arch.X64
{
    /// <summary>
    /// Turning this CPU's interrupts off and on, and waiting for the next one: what the rest of the
    /// kernel (locks, the idle loop, panics) may do with the interrupt flag, without touching cli, sti
    /// or hlt itself.
    /// </summary>
    public static class Interrupts
    {
        public static bool AreEnabled => Cpu.InterruptsEnabled;

        public static void Disable() => Cpu.DisableInterrupts();

        public static void Enable() => Cpu.EnableInterrupts();

        /// <summary>Turns interrupts off and returns whether they were on (for <see cref="Restore"/>).</summary>
        public static bool Save()
        {
            bool wereOn = Cpu.InterruptsEnabled;
            Cpu.DisableInterrupts();
            return wereOn;
        }

        public static void Restore(bool wereOn)
        {
            if (wereOn) Cpu.EnableInterrupts();
        }

        /// <summary>Turns interrupts on and halts until one arrives (sti; hlt: no wake-up can be missed).</summary>
        public static void WaitForInterrupt() => Cpu.EnableInterruptsAndHalt();

        /// <summary>Halts until the next interrupt, leaving the interrupt flag as it is.</summary>
        public static void Halt() => Cpu.Halt();

        /// <summary>Stops this CPU for good.</summary>
        public static void HaltForever() => Cpu.HaltForever();
    }

    /// <summary>An I/O port (the x86's separate address space for device registers): how drivers talk to devices.</summary>
    public readonly struct IoPort
    {
        public readonly ushort Number;

        public IoPort(ushort number) => Number = number;

        public byte Read8() => Cpu.In8(Number);
        public void Write8(byte value) => Cpu.Out8(Number, value);
        public ushort Read16() => Cpu.In16(Number);
        public void Write16(ushort value) => Cpu.Out16(Number, value);
        public uint Read32() => Cpu.In32(Number);
        public void Write32(uint value) => Cpu.Out32(Number, value);
    }

    /// <summary>What the CPU records about a fault, for reports.</summary>
    public static class FaultInfo
    {
        /// <summary>CR2: the address the last page fault was about.</summary>
        public static ulong PageFaultAddress => SystemRegisters.ReadCr2();

        /// <summary>CR3: the physical address of the page tables in use.</summary>
        public static ulong PageTableRoot => SystemRegisters.ReadCr3();
    }
}
