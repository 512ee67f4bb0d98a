using TeachOS.Boundary;
using Terminal;

namespace Drivers
{
    /// <summary>
    /// The receive side of the serial port: what arrives on COM1 is typed input. The port itself (its
    /// registers, the output side the kernel prints through) is Terminal/Serial.cs, a layer below; this
    /// half belongs with the other input devices because it feeds the console input queue.
    /// </summary>
    public static class SerialInput
    {
        /// <summary>IRQ 4 (interrupts off): move every received byte to the console input queue.
        /// A terminal sends Enter as '\r'; the kernel's line ending is '\n'.</summary>
        [InterruptContext]
        public static void HandleInterrupt()
        {
            while (Serial.HasInput)
            {
                byte value = Serial.ReadByte();
                ConsoleInput.Put(value == (byte)'\r' ? (byte)'\n' : value);
            }
        }
    }
}
