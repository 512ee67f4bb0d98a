namespace Arch.X64
{
    /// <summary>
    /// The registers of a legacy (virtio 0.9.5) or transitional virtio PCI device: I/O ports from the
    /// start of its BAR 0 (Virtio 1.1, 4.1.4.8 "Legacy Interfaces: A Note on PCI Device Layout"). The
    /// same for every kind of virtio device; the device's own fields follow at
    /// <see cref="DeviceConfiguration"/> (while MSI-X is off, which TeachOS never turns on).
    /// Drivers/VirtioBlock.cs says what each one is for as it uses it.
    /// </summary>
    public readonly struct VirtioLegacyPorts
    {
        public readonly IoPort DeviceFeatures;     // 32 bits: the features the device offers
        public readonly IoPort DriverFeatures;     // 32 bits: the ones the driver accepts
        public readonly IoPort QueueAddress;       // 32 bits: the selected queue's physical address / 4096
        public readonly IoPort QueueSize;          // 16 bits: its number of descriptors (the device decides)
        public readonly IoPort QueueSelect;        // 16 bits: which queue the two above mean
        public readonly IoPort QueueNotify;        // 16 bits: write a queue's number: "it has new requests"
        public readonly IoPort DeviceStatus;       // 8 bits: the start-up handshake; writing 0 resets the device
        public readonly IoPort InterruptStatus;    // 8 bits: why it interrupted; reading it lowers the interrupt line
        private readonly ushort _base;

        public const int DeviceConfiguration = 0x14;

        public VirtioLegacyPorts(ushort bar0)
        {
            _base = bar0;
            DeviceFeatures = new IoPort(bar0);
            DriverFeatures = new IoPort((ushort)(bar0 + 0x04));
            QueueAddress = new IoPort((ushort)(bar0 + 0x08));
            QueueSize = new IoPort((ushort)(bar0 + 0x0C));
            QueueSelect = new IoPort((ushort)(bar0 + 0x0E));
            QueueNotify = new IoPort((ushort)(bar0 + 0x10));
            DeviceStatus = new IoPort((ushort)(bar0 + 0x12));
            InterruptStatus = new IoPort((ushort)(bar0 + 0x13));
        }

        /// <summary>The port of the device-specific configuration field at <paramref name="offset"/>.</summary>
        public IoPort Configuration(int offset) => new IoPort((ushort)(_base + DeviceConfiguration + offset));
    }
}
