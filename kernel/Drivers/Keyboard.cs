using Arch.X64;

namespace Drivers
{
    /// <summary>
    /// The PS/2 keyboard, through the 8042 controller: IRQ 1 says a scancode is waiting at port 0x60.
    /// The interrupt handler reads it, translates it (Drivers/KeyboardLayout.cs) and queues the character.
    /// </summary>
    public static class Keyboard
    {
        private const ushort DataPort = 0x60;
        private const ushort StatusPort = 0x64;
        private const byte OutputBufferFull = 1 << 0;

        private static KeyboardLayout s_layout = new KeyboardLayout();

        public static ulong Scancodes { get; private set; }

        public static void Initialize()
        {
            // Drop anything the firmware left in the controller, so the first interrupt is a fresh key.
            while ((Cpu.In8(StatusPort) & OutputBufferFull) != 0) Cpu.In8(DataPort);
            Pic.Unmask(Traps.TrapVectors.KeyboardIrq);
        }

        /// <summary>IRQ 1 (interrupts off).</summary>
        public static void HandleInterrupt()
        {
            byte scancode = Cpu.In8(DataPort);
            Scancodes++;
            char c = s_layout.Translate(scancode);
            if (c != '\0') ConsoleInput.Put((byte)c);
        }
    }
}
