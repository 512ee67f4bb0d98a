using Terminal;
using Arch.X64;

namespace Diagnostics
{
    /// <summary>
    /// Ends the QEMU session with a status, for tests, panics and `init=` programs. QEMU's
    /// isa-debug-exit device (port 0xf4, added by tools/run-qemu.sh for headless boots) exits QEMU
    /// with status (value &lt;&lt; 1) | 1 when a value is written to it. We write status + 1, so that
    /// QEMU's own error status (1) is never mistaken for a kernel status: the runner maps
    /// QEMU's code c back to (c >> 1) - 1 (or, for statuses above 126, reads the power-off line).
    /// Without the device (make run) the write does nothing.
    /// </summary>
    public static class DebugExit
    {
        public const byte StatusSuccess = 0;
        public const byte StatusFailure = 1;
        public const byte StatusPanic = 100;
        /// <summary>The machine stopped at the disk crash point `crash-after-writes=N` (Drivers/DiskCrashPoint.cs).</summary>
        public const byte StatusDiskCrashPoint = 101;

        private static readonly IoPort Port = new IoPort(0xF4);
        private static readonly IoPort QemuAcpiPowerOffPort = new IoPort(0x604);   // PIIX4 power-management control, QEMU "pc" machine
        private const ushort AcpiSleepTypeS5 = 0x2000;        // SLP_TYPa = S5 (soft off), SLP_EN

        /// <summary>Reports <paramref name="status"/> to the test runner, if one is listening.</summary>
        public static void Report(byte status) => Port.Write32((uint)status + 1);

        /// <summary>
        /// Reports the status, then powers the machine off (a clean shutdown). The status is also
        /// printed, because an exit code through isa-debug-exit has only 7 bits: the runner reads this
        /// line for the full value (a killed program's 137, say).
        /// </summary>
        public static void PowerOff(byte status)
        {
            Console.WriteLine($"TeachOS: power off, status {status}");
            Report(status);
            QemuAcpiPowerOffPort.Write16(AcpiSleepTypeS5);
            Interrupts.HaltForever();
        }
    }
}
