using Arch.X64;

namespace Terminal
{
    /// <summary>
    /// The first serial port (COM1), a 16550 UART: the kernel's main console, and what QEMU connects to
    /// the terminal (make run) or to the test runner (make boot). Registers: see the 16550 datasheet,
    /// or https://wiki.osdev.org/Serial_Ports.
    /// </summary>
    public static class Serial
    {
        public const ushort Com1 = 0x3F8;

        private static readonly IoPort Data = new IoPort(Com1 + 0);            // read: received byte; write: byte to send
        private static readonly IoPort InterruptEnable = new IoPort(Com1 + 1);
        private static readonly IoPort LineControl = new IoPort(Com1 + 3);
        private static readonly IoPort ModemControl = new IoPort(Com1 + 4);
        private static readonly IoPort LineStatus = new IoPort(Com1 + 5);

        private const byte LineStatusDataReady = 1 << 0;
        private const byte LineStatusTransmitterEmpty = 1 << 5;
        private const byte DivisorLatchAccess = 1 << 7;
        private const byte EightBitsNoParityOneStop = 0x03;
        private const byte InterruptOnReceivedData = 1 << 0;

        public static void Initialize()
        {
            InterruptEnable.Write8(0);
            LineControl.Write8(DivisorLatchAccess);   // the next two registers set the speed
            Data.Write8(1);                           // divisor 1: 115200 baud
            InterruptEnable.Write8(0);
            LineControl.Write8(EightBitsNoParityOneStop);
            // The FIFO control register is left as the firmware set it: switching the FIFOs on or off
            // empties them, and the receive side may already hold what was typed (or piped into QEMU)
            // before the kernel started.
            ModemControl.Write8(0x0B);                // DTR, RTS, and OUT2 (routes the IRQ line)
        }

        /// <summary>Asks the UART to raise IRQ 4 when a byte arrives.</summary>
        public static void EnableReceiveInterrupt()
        {
            InterruptEnable.Write8(InterruptOnReceivedData);
            Pic.Unmask(TrapVectors.SerialIrq);
        }

        public static void Write(char c)
        {
            if (c == '\n') WriteByte((byte)'\r');
            WriteByte(c < 0x80 ? (byte)c : (byte)'?');
        }

        public static void WriteByte(byte value)
        {
            while ((LineStatus.Read8() & LineStatusTransmitterEmpty) == 0) Cpu.Pause();
            Data.Write8(value);
        }

        public static bool HasInput => (LineStatus.Read8() & LineStatusDataReady) != 0;

        public static byte ReadByte() => Data.Read8();
    }
}
