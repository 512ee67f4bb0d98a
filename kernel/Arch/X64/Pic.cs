namespace Arch.X64
{
    /// <summary>
    /// The two 8259A Programmable Interrupt Controllers of the PC: 16 interrupt lines (IRQ 0-15) from
    /// devices. At power-on they deliver IRQ 0-7 on vectors 8-15, which collide with CPU exceptions
    /// (8 is #DF!), so we reprogram them to vectors 32-47. A handled interrupt must be acknowledged
    /// (End Of Interrupt), or the PIC sends no more of that priority. https://wiki.osdev.org/8259_PIC
    /// </summary>
    public static class Pic
    {
        private const ushort PrimaryCommand = 0x20, PrimaryData = 0x21;
        private const ushort SecondaryCommand = 0xA0, SecondaryData = 0xA1;
        private const byte InitializeWithIcw4 = 0x11;
        private const byte Mode8086 = 0x01;
        private const byte EndOfInterruptCommand = 0x20;
        private const byte ReadInServiceRegister = 0x0B;
        private const int CascadeLine = 2;                 // the secondary PIC is wired to IRQ 2

        private static ushort s_mask = 0xFFFF;             // 1 = masked (ignored)

        public static void Initialize(byte vectorBase)
        {
            Cpu.Out8(PrimaryCommand, InitializeWithIcw4);
            Cpu.Out8(SecondaryCommand, InitializeWithIcw4);
            Cpu.Out8(PrimaryData, vectorBase);                 // ICW2: first vector
            Cpu.Out8(SecondaryData, (byte)(vectorBase + 8));
            Cpu.Out8(PrimaryData, 1 << CascadeLine);           // ICW3: where the secondary is attached
            Cpu.Out8(SecondaryData, CascadeLine);
            Cpu.Out8(PrimaryData, Mode8086);                   // ICW4
            Cpu.Out8(SecondaryData, Mode8086);
            s_mask = 0xFFFF & ~(1 << CascadeLine);
            WriteMask();
        }

        public static void Unmask(int irq)
        {
            s_mask &= (ushort)~(1 << irq);
            WriteMask();
        }

        public static void Mask(int irq)
        {
            s_mask |= (ushort)(1 << irq);
            WriteMask();
        }

        private static void WriteMask()
        {
            Cpu.Out8(PrimaryData, (byte)s_mask);
            Cpu.Out8(SecondaryData, (byte)(s_mask >> 8));
        }

        public static void EndOfInterrupt(int irq)
        {
            if (irq >= 8) Cpu.Out8(SecondaryCommand, EndOfInterruptCommand);
            Cpu.Out8(PrimaryCommand, EndOfInterruptCommand);
        }

        /// <summary>
        /// IRQ 7 and 15 can arrive "spuriously" (the line dropped before the CPU asked which IRQ it was).
        /// A real one shows in the In-Service Register; a spurious one must not be acknowledged
        /// (except that a spurious IRQ 15 still needs an EOI on the primary, for the cascade line).
        /// </summary>
        public static bool IsSpurious(int irq)
        {
            if (irq != 7 && irq != 15) return false;
            ushort command = irq == 7 ? PrimaryCommand : SecondaryCommand;
            Cpu.Out8(command, ReadInServiceRegister);
            bool inService = (Cpu.In8(command) & (1 << (irq & 7))) != 0;
            if (!inService && irq == 15) Cpu.Out8(PrimaryCommand, EndOfInterruptCommand);
            return !inService;
        }
    }
}
