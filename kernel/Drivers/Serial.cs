using Arch.X64;

namespace Drivers
{
    /// <summary>
    /// The first serial port (COM1), a 16550 UART: the kernel's main console, and what QEMU connects to
    /// the terminal (make run) or to the test runner (make boot). Registers: see the 16550 datasheet,
    /// or https://wiki.osdev.org/Serial_Ports.
    /// </summary>
    public static class Serial
    {
        public const ushort Com1 = 0x3F8;

        private const ushort Data = Com1 + 0;              // read: received byte; write: byte to send
        private const ushort InterruptEnable = Com1 + 1;
        private const ushort LineControl = Com1 + 3;
        private const ushort ModemControl = Com1 + 4;
        private const ushort LineStatus = Com1 + 5;

        private const byte LineStatusDataReady = 1 << 0;
        private const byte LineStatusTransmitterEmpty = 1 << 5;
        private const byte DivisorLatchAccess = 1 << 7;
        private const byte EightBitsNoParityOneStop = 0x03;
        private const byte InterruptOnReceivedData = 1 << 0;

        public static void Initialize()
        {
            Cpu.Out8(InterruptEnable, 0);
            Cpu.Out8(LineControl, DivisorLatchAccess);   // the next two registers set the speed
            Cpu.Out8(Data, 1);                           // divisor 1: 115200 baud
            Cpu.Out8(InterruptEnable, 0);
            Cpu.Out8(LineControl, EightBitsNoParityOneStop);
            // The FIFO control register is left as the firmware set it: switching the FIFOs on or off
            // empties them, and the receive side may already hold what was typed (or piped into QEMU)
            // before the kernel started.
            Cpu.Out8(ModemControl, 0x0B);                // DTR, RTS, and OUT2 (routes the IRQ line)
        }

        /// <summary>Asks the UART to raise IRQ 4 when a byte arrives.</summary>
        public static void EnableReceiveInterrupt()
        {
            Cpu.Out8(InterruptEnable, InterruptOnReceivedData);
            Arch.X64.Pic.Unmask(Traps.TrapVectors.SerialIrq);
        }

        /// <summary>IRQ 4 (interrupts off): move every received byte to the console input queue.
        /// A terminal sends Enter as '\r'; the kernel's line ending is '\n'.</summary>
        public static void HandleInterrupt()
        {
            while (HasInput)
            {
                byte value = ReadByte();
                ConsoleInput.Put(value == (byte)'\r' ? (byte)'\n' : value);
            }
        }

        public static void Write(char c)
        {
            if (c == '\n') WriteByte((byte)'\r');
            WriteByte(c < 0x80 ? (byte)c : (byte)'?');
        }

        public static void WriteByte(byte value)
        {
            while ((Cpu.In8(LineStatus) & LineStatusTransmitterEmpty) == 0) Cpu.Pause();
            Cpu.Out8(Data, value);
        }

        public static bool HasInput => (Cpu.In8(LineStatus) & LineStatusDataReady) != 0;

        public static byte ReadByte() => Cpu.In8(Data);
    }
}
