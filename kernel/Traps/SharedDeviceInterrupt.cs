using TeachOS.Boundary;

namespace Traps
{
    /// <summary>
    /// Two handlers on one interrupt line. PCI interrupts are level-triggered and shareable: the line
    /// stays raised while any device on it wants attention, so every handler runs, and each reads its
    /// own device's status register to learn whether it was the one (a virtio device's InterruptStatus
    /// read both answers and lowers its part of the line). A third handler nests a second pair.
    /// </summary>
    public sealed class SharedDeviceInterrupt : DeviceInterrupt
    {
        private readonly DeviceInterrupt _first, _second;

        public SharedDeviceInterrupt(DeviceInterrupt first, DeviceInterrupt second)
        {
            _first = first;
            _second = second;
        }

        [InterruptContext]
        public override void Handle()
        {
            _first.Handle();
            _second.Handle();
        }
    }
}
