using Arch.X64;
using Terminal;

namespace Drivers
{
    /// <summary>
    /// One PCI function found at boot: where it sits (bus:device.function), who made it and what it is.
    /// A driver reads the rest of its configuration (BARs, interrupt line) through the methods below.
    /// </summary>
    public sealed class PciFunction
    {
        public readonly byte Bus, Device, Function;
        public readonly ushort VendorId, DeviceId;
        public readonly byte ClassCode, Subclass, ProgrammingInterface;

        public PciFunction(byte bus, byte device, byte function)
        {
            Bus = bus;
            Device = device;
            Function = function;
            VendorId = Read16(PciConfiguration.VendorId);
            DeviceId = Read16(PciConfiguration.DeviceId);
            ClassCode = Read8(PciConfiguration.ClassCode);
            Subclass = Read8(PciConfiguration.Subclass);
            ProgrammingInterface = Read8(PciConfiguration.ProgrammingInterface);
        }

        public uint Read32(int offset) => PciConfiguration.Read32(Bus, Device, Function, offset);
        public ushort Read16(int offset) => PciConfiguration.Read16(Bus, Device, Function, offset);
        public byte Read8(int offset) => PciConfiguration.Read8(Bus, Device, Function, offset);

        /// <summary>The first I/O port of Base Address Register <paramref name="index"/>, or 0 if that BAR describes memory.</summary>
        public ushort IoBar(int index)
        {
            uint bar = Read32(PciConfiguration.Bar0 + 4 * index);
            return (bar & PciConfiguration.BarIsIoSpace) != 0 ? (ushort)(bar & PciConfiguration.BarIoAddressMask) : (ushort)0;
        }

        /// <summary>The legacy IRQ (0-15) the firmware routed this function's INTx pin to, or -1 if none.</summary>
        public int LegacyIrq
        {
            get
            {
                if (Read8(PciConfiguration.InterruptPin) == 0) return -1;
                byte line = Read8(PciConfiguration.InterruptLine);
                return line < 16 ? line : -1;
            }
        }

        /// <summary>Lets the device answer I/O-port accesses and read and write memory (DMA), with its INTx interrupt on.</summary>
        public void EnableIoAndBusMastering()
        {
            ushort command = Read16(PciConfiguration.Command);
            command |= PciConfiguration.CommandIoSpace | PciConfiguration.CommandBusMaster;
            command &= unchecked((ushort)~PciConfiguration.CommandInterruptDisable);
            PciConfiguration.Write16(Bus, Device, Function, PciConfiguration.Command, command);
        }
    }

    /// <summary>
    /// The PCI bus walk at boot: every function on bus 0 and on the buses behind PCI-to-PCI bridges,
    /// one line each in the boot log (bus:device.function, vendor:device, class, and a name for the ones
    /// TeachOS knows, PciNames.cs). Drivers then look a device up here by vendor and device id. QEMU's
    /// `pc` machine has one bus: the 440FX host bridge, the PIIX3 (ISA bridge, IDE, USB), the PIIX4's power
    /// management, the VGA card, and the virtio devices on the command line (the network card, the disk).
    /// </summary>
    public static class Pci
    {
        private const int MaximumFunctions = 64;
        private static readonly PciFunction[] s_functions = new PciFunction[MaximumFunctions];
        private static int s_count;

        public static int Count => s_count;
        public static PciFunction At(int index) => s_functions[index];

        /// <summary>Walks the buses (once, at boot, on the boot CPU: PciConfiguration's ports are shared) and prints each function.</summary>
        public static void Enumerate()
        {
            s_count = 0;
            ScanBus(0, depth: 0);
            Console.WriteLine($"pci: {s_count} functions");
        }

        /// <summary>The first function with this vendor and device id, or null.</summary>
        public static PciFunction Find(ushort vendorId, ushort deviceId)
        {
            for (int i = 0; i < s_count; i++)
                if (s_functions[i].VendorId == vendorId && s_functions[i].DeviceId == deviceId) return s_functions[i];
            return null;
        }

        private static void ScanBus(int bus, int depth)
        {
            for (int device = 0; device < PciConfiguration.DevicesPerBus; device++)
            {
                // Function 0 answers for every device that exists; the others only if its header says
                // "multi-function" (a device without function 1-7 may echo function 0 there).
                if (PciConfiguration.Read16(bus, device, 0, PciConfiguration.VendorId) == NoDevice) continue;
                byte header = PciConfiguration.Read8(bus, device, 0, PciConfiguration.HeaderType);
                int functions = (header & PciConfiguration.HeaderMultiFunction) != 0 ? PciConfiguration.FunctionsPerDevice : 1;
                for (int function = 0; function < functions; function++)
                {
                    if (PciConfiguration.Read16(bus, device, function, PciConfiguration.VendorId) == NoDevice) continue;
                    Add(bus, device, function, depth);
                }
            }
        }

        private const ushort NoDevice = 0xFFFF;
        private const int MaximumBridgeDepth = 8;      // a bridge whose secondary bus leads back would loop

        private static void Add(int bus, int device, int function, int depth)
        {
            var found = new PciFunction((byte)bus, (byte)device, (byte)function);
            if (s_count < MaximumFunctions) s_functions[s_count++] = found;
            string name = PciNames.Describe(found.VendorId, found.DeviceId, found.ClassCode, found.Subclass);
            Console.WriteWholeLine($"pci: {bus:x2}:{device:x2}.{function} {found.VendorId:x4}:{found.DeviceId:x4} " +
                $"class {found.ClassCode:x2}{found.Subclass:x2}{found.ProgrammingInterface:x2} {name}");

            byte layout = (byte)(found.Read8(PciConfiguration.HeaderType) & PciConfiguration.HeaderLayoutMask);
            if (layout == PciConfiguration.HeaderLayoutBridge && depth < MaximumBridgeDepth)
            {
                byte secondary = found.Read8(PciConfiguration.SecondaryBus);
                if (secondary > bus) ScanBus(secondary, depth + 1);   // firmware numbers buses downwards from 0
            }
        }
    }
}
