using Terminal;

namespace Drivers
{
    /// <summary>
    /// The network cards TeachOS found at boot: the first virtio-net device on the PCI bus, if any
    /// (tools/run-qemu.sh attaches one to QEMU's user-mode network unless `--net none`). The network
    /// stack (Net/NetworkBoot.cs) makes it the interface eth0.
    /// </summary>
    public static class NetworkDevices
    {
        private const ushort VirtioNetTransitional = 0x1000;    // legacy interface available

        /// <summary>The first card, or null when none is attached (the stack then has only loopback).</summary>
        public static NetworkDevice First { get; private set; }

        /// <summary>Finds and starts the card (at boot, after Pci.Enumerate, with interrupts on).</summary>
        public static void Find()
        {
            PciFunction function = Pci.Find(PciNames.VendorRedHatVirtio, VirtioNetTransitional);
            if (function == null)
            {
                Console.WriteLine("net: no network card (loopback only)");
                return;
            }
            First = VirtioNet.Start(function, "virtio-net");
        }
    }
}
