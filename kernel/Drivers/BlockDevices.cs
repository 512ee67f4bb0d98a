using Terminal;

namespace Drivers
{
    /// <summary>
    /// The block devices TeachOS found at boot. There is one: <see cref="Disk"/>, the first virtio
    /// block device on the PCI bus (tools/run-qemu.sh attaches build/disk.img as one, or the image
    /// `--disk PATH` / `make run DISK=PATH` names). Without it TeachOS runs on the RAM file system
    /// alone, and says so.
    /// </summary>
    public static class BlockDevices
    {
        private const ushort VirtioBlockTransitional = 0x1001;    // legacy interface available
        private const ushort VirtioBlockModern = 0x1042;          // modern interface only (QEMU's disable-legacy=on)

        /// <summary>The disk, or null when none is attached.</summary>
        public static BlockDevice Disk { get; private set; }

        /// <summary>Finds and starts the disk (at boot, after Pci.Enumerate, with interrupts on), and
        /// reads the crash explorer's words from the command line.</summary>
        public static void FindDisk()
        {
            DiskTrace.Configure();
            DiskCrashPoint.Configure();

            PciFunction function = Pci.Find(PciNames.VendorRedHatVirtio, VirtioBlockTransitional);
            if (function == null)
            {
                if (Pci.Find(PciNames.VendorRedHatVirtio, VirtioBlockModern) != null)
                    Console.WriteLine("disk: the virtio-blk device offers only the modern interface; TeachOS drives the legacy one");
                Console.WriteLine("disk: none attached (the RAM file system only)");
                return;
            }

            VirtioBlock device = VirtioBlock.Start(function);
            if (device == null)
            {
                Console.WriteLine("disk: none usable (the RAM file system only)");
                return;
            }
            Disk = device;
            string flush = device.CanFlush ? "with flush" : "write-through";
            string readOnly = device.ReadOnly ? ", read-only" : "";
            Console.WriteWholeLine($"disk: {device.Name}, {device.BlockCount} KiB (irq {device.Irq}, {device.RequestSlots} requests in flight at most, {flush}{readOnly})");
        }
    }
}
