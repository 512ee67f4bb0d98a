using Arch.X64;
using TeachOS.Boundary;

namespace Drivers
{
    /// <summary>
    /// The PS/2 keyboard, through the 8042 controller: IRQ 1 says a scancode is waiting at port 0x60.
    /// The interrupt handler reads it, translates it (Drivers/KeyboardLayout.cs) and queues the character.
    /// </summary>
    public static class Keyboard
    {
        private static readonly IoPort DataPort = new IoPort(0x60);
        private static readonly IoPort StatusPort = new IoPort(0x64);
        private const byte OutputBufferFull = 1 << 0;

        private static KeyboardLayout s_layout = new KeyboardLayout();

        public static ulong Scancodes { get; private set; }

        public static void Initialize()
        {
            // Drop anything the firmware left in the controller, so the first interrupt is a fresh key.
            while ((StatusPort.Read8() & OutputBufferFull) != 0) DataPort.Read8();
            Pic.Unmask(TrapVectors.KeyboardIrq);
        }

        /// <summary>IRQ 1 (interrupts off).</summary>
        [InterruptContext]
        public static void HandleInterrupt()
        {
            byte scancode = DataPort.Read8();
            Scancodes++;
            char c = s_layout.Translate(scancode);
            if (c != '\0') ConsoleInput.Put((byte)c);
        }
    }
}
