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
}
