namespace Virt
{
    /// <summary>
    /// The guest's console: a 16550-like serial port at the PC's COM1 address, 0x3F8, emulated. The port
    /// is intercepted (Virt/PermissionMaps.cs), so each IN or OUT the guest makes is an I/O exit, and the
    /// hypervisor plays the device: a byte written to the transmit register (THR, 0x3F8) goes into the
    /// VM's console buffer, which VmRun hands to its caller; the line status register (LSR, 0x3FD) always
    /// says the transmitter is empty, so a guest that polls before each byte, as a real driver does,
    /// never waits. The other registers (interrupt enable, line control, ...) accept what a driver
    /// writes to set the port up and read as 0: there is no wire, so no baud rate to get right.
    /// </summary>
    public static class VirtualConsole
    {
        public const ushort Base = 0x3F8;
        public const ushort Last = Base + 7;
        private const ushort TransmitHolding = Base + 0;
        private const ushort LineStatus = Base + 5;
        private const byte TransmitterEmpty = 0x20 | 0x40;   // LSR: THR empty, transmitter idle

        /// <summary>The guest wrote <paramref name="value"/> to a port of the console.</summary>
        public static void Write(VirtualMachine vm, ushort port, uint value)
        {
            if (port == TransmitHolding) vm.AppendConsole((byte)value);
        }

        /// <summary>What the guest reads from a port of the console.</summary>
        public static uint Read(ushort port) => port == LineStatus ? TransmitterEmpty : 0u;
    }
}
