namespace Arch.X64
{
    /// <summary>
    /// PCI configuration space through "configuration mechanism #1" (PCI Local Bus Specification 3.0,
    /// 3.2.2.3.2), the PC's way since the 1990s: write the address of a 32-bit register (bus, device,
    /// function, offset, and bit 31 "enable") to port 0xCF8, then read or write the register itself at
    /// port 0xCFC. Every PCI function has 256 bytes of configuration space; the first 64 are a standard
    /// header (the offsets below), which tells who made the device, what it is, and where its registers are.
    ///
    /// The two ports are one register pair for the whole machine: an address written by one CPU and a
    /// read by another would mix. TeachOS touches configuration space only while booting, on the boot
    /// CPU, before the other CPUs run anything, so no lock is needed (and Arch has none to take).
    /// </summary>
    public static class PciConfiguration
    {
        private static readonly IoPort Address = new IoPort(0xCF8);
        private static readonly IoPort Data = new IoPort(0xCFC);
        private const uint Enable = 1u << 31;

        // The standard header (type 0, and the same first 16 bytes for every type).
        public const byte VendorId = 0x00;          // 16 bits; 0xFFFF: no function here
        public const byte DeviceId = 0x02;          // 16 bits
        public const byte Command = 0x04;           // 16 bits: what the device may do (bits below)
        public const byte RevisionId = 0x08;        // 8 bits
        public const byte ProgrammingInterface = 0x09;
        public const byte Subclass = 0x0A;
        public const byte ClassCode = 0x0B;
        public const byte HeaderType = 0x0E;        // bits 0-6 the layout, bit 7 "more than one function"
        public const byte Bar0 = 0x10;              // Base Address Registers 0-5, 4 bytes each
        public const byte SubsystemId = 0x2E;
        public const byte InterruptLine = 0x3C;     // the legacy IRQ the firmware routed INTx to (0xFF: none)
        public const byte InterruptPin = 0x3D;      // 0 none, 1-4 INTA#-INTD#

        // A PCI-to-PCI bridge (header type 1): the bus behind it.
        public const byte SecondaryBus = 0x19;

        public const byte HeaderLayoutMask = 0x7F;
        public const byte HeaderMultiFunction = 0x80;
        public const byte HeaderLayoutBridge = 0x01;

        // Command register bits (PCI 3.0, 6.2.2).
        public const ushort CommandIoSpace = 1 << 0;         // answer I/O-port accesses to its BARs
        public const ushort CommandMemorySpace = 1 << 1;
        public const ushort CommandBusMaster = 1 << 2;       // may read and write memory itself (DMA)
        public const ushort CommandInterruptDisable = 1 << 10;

        /// <summary>A BAR whose bit 0 is set describes I/O ports; the port number is the rest, bits 2 up.</summary>
        public const uint BarIsIoSpace = 1;
        public const uint BarIoAddressMask = 0xFFFFFFFC;

        public const int DevicesPerBus = 32;
        public const int FunctionsPerDevice = 8;
        public const int BusCount = 256;

        private static void Select(int bus, int device, int function, int offset) =>
            Address.Write32(Enable | (uint)bus << 16 | (uint)device << 11 | (uint)function << 8 | ((uint)offset & 0xFC));

        public static uint Read32(int bus, int device, int function, int offset)
        {
            Select(bus, device, function, offset);
            return Data.Read32();
        }

        /// <summary>A 16-bit register: the aligned dword that holds it, shifted (some chipsets answer only whole dwords).</summary>
        public static ushort Read16(int bus, int device, int function, int offset) =>
            (ushort)(Read32(bus, device, function, offset) >> ((offset & 2) * 8));

        public static byte Read8(int bus, int device, int function, int offset) =>
            (byte)(Read32(bus, device, function, offset) >> ((offset & 3) * 8));

        public static void Write32(int bus, int device, int function, int offset, uint value)
        {
            Select(bus, device, function, offset);
            Data.Write32(value);
        }

        /// <summary>Writes a 16-bit register by reading its dword, changing the half, writing it back.
        /// (Command sits beside Status, whose bits are "write 1 to clear": write 0 there, changing nothing.)</summary>
        public static void Write16(int bus, int device, int function, int offset, ushort value)
        {
            int shift = (offset & 2) * 8;
            uint dword = Read32(bus, device, function, offset);
            if ((offset & ~3) == Command) dword &= 0x0000FFFF;      // leave the Status bits alone
            dword = (dword & ~(0xFFFFu << shift)) | (uint)value << shift;
            Write32(bus, device, function, offset, dword);
        }
    }
}
