using TeachOS.Boundary;
using Traps;

namespace Drivers
{
    /// <summary>The keyboard's handler for IRQ 1, registered by KernelMain (Traps/DeviceInterrupt.cs).</summary>
    public sealed class KeyboardInterrupt : DeviceInterrupt
    {
        [InterruptContext]
        public override void Handle() => Keyboard.HandleInterrupt();
    }

    /// <summary>The serial port's receive handler for IRQ 4, registered by KernelMain.</summary>
    public sealed class SerialInterrupt : DeviceInterrupt
    {
        [InterruptContext]
        public override void Handle() => SerialInput.HandleInterrupt();
    }

    /// <summary>
    /// A virtio block device's handler for the IRQ its PCI interrupt pin is routed to (the firmware
    /// chose the line and wrote it in the function's configuration space). Registered by
    /// VirtioBlock.Start when BlockDevices.FindDisk, called from KernelMain, finds the disk.
    /// </summary>
    public sealed class VirtioBlockInterrupt : DeviceInterrupt
    {
        private readonly VirtioBlock _device;

        public VirtioBlockInterrupt(VirtioBlock device) => _device = device;

        [InterruptContext]
        public override void Handle() => _device.HandleInterrupt();
    }

    /// <summary>A virtio network card's handler, registered by VirtioNet.Start (its PCI line may be the disk's too).</summary>
    public sealed class VirtioNetInterrupt : DeviceInterrupt
    {
        private readonly VirtioNet _device;

        public VirtioNetInterrupt(VirtioNet device) => _device = device;

        [InterruptContext]
        public override void Handle() => _device.HandleInterrupt();
    }
}
