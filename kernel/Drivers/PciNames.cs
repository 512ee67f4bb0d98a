namespace Drivers
{
    /// <summary>
    /// Names for the PCI functions a boot log is likely to show (QEMU's `pc` machine and its usual
    /// extra devices), and for the classes of the others (PCI Code and ID Assignment Specification,
    /// chapter 1). The full list is the PCI ID Repository, https://pci-ids.ucw.cz; this is enough to read a log.
    /// </summary>
    public static class PciNames
    {
        public const ushort VendorIntel = 0x8086;
        public const ushort VendorRedHatVirtio = 0x1AF4;
        public const ushort VendorBochs = 0x1234;

        public static string Describe(ushort vendor, ushort device, byte classCode, byte subclass)
        {
            string known = Known(vendor, device);
            return known ?? ClassName(classCode, subclass);
        }

        private static string Known(ushort vendor, ushort device)
        {
            if (vendor == VendorIntel)
            {
                switch (device)
                {
                    case 0x1237: return "Intel 440FX host bridge";
                    case 0x7000: return "Intel PIIX3 ISA bridge";
                    case 0x7010: return "Intel PIIX3 IDE controller";
                    case 0x7020: return "Intel PIIX3 USB controller";
                    case 0x7113: return "Intel PIIX4 power management";
                    case 0x100E: return "Intel e1000 network card";
                    case 0x29C0: return "Intel Q35 host bridge";
                    case 0x2918: return "Intel ICH9 LPC bridge";
                    case 0x2922: return "Intel ICH9 SATA controller";
                    case 0x2930: return "Intel ICH9 SMBus controller";
                }
            }
            else if (vendor == VendorRedHatVirtio)
            {
                // 0x1000-0x103F: legacy/transitional virtio devices; 0x1040 + type: modern-only ones.
                switch (device)
                {
                    case 0x1000: return "virtio network card (transitional)";
                    case 0x1001: return "virtio block device (transitional)";
                    case 0x1003: return "virtio console (transitional)";
                    case 0x1005: return "virtio entropy source (transitional)";
                    case 0x1041: return "virtio network card";
                    case 0x1042: return "virtio block device";
                }
            }
            else if (vendor == VendorBochs && device == 0x1111)
            {
                return "Bochs/QEMU standard VGA";
            }
            return null;
        }

        private static string ClassName(byte classCode, byte subclass)
        {
            switch (classCode)
            {
                case 0x01: return subclass == 0x01 ? "IDE controller" : "mass storage controller";
                case 0x02: return "network controller";
                case 0x03: return "display controller";
                case 0x04: return "multimedia controller";
                case 0x06:
                    switch (subclass)
                    {
                        case 0x00: return "host bridge";
                        case 0x01: return "ISA bridge";
                        case 0x04: return "PCI-to-PCI bridge";
                        default: return "bridge";
                    }
                case 0x0C: return subclass == 0x03 ? "USB controller" : "serial bus controller";
                default: return "unknown device";
            }
        }
    }
}
