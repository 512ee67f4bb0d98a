using Abi;

namespace Virt
{
    /// <summary>
    /// The machine's I/O ports, as both backends see them: the SVM backend after an I/O exit
    /// (Virt/IoExit.cs), the trap-and-emulate one after the #GP an IN or OUT takes in ring 3
    /// (Virt/TrapEmulate/Emulator.cs). Each port belongs to one virtual device: the console
    /// (Virt/VirtualConsole.cs), the timer (Virt/VirtualTimer.cs), the disk (Virt/VirtualDisk.cs), the
    /// debug-exit port. So the same guest meets the same devices on either backend.
    /// </summary>
    public static class VirtualPorts
    {
        /// <summary>The virtual debug-exit port (QEMU's isa-debug-exit is at the same place): a guest's status.</summary>
        public const ushort DebugExitPort = 0xF4;

        /// <summary>
        /// One IN (<paramref name="input"/>) or OUT of <paramref name="size"/> bytes (1, 2, 4) on
        /// <paramref name="port"/>; an OUT's value is <paramref name="value"/>, an IN's result is put
        /// there. Returns ExitDispatch.Continue, or the reason the guest stops (its exit status, a port
        /// no device answers).
        /// </summary>
        public static int Access(VirtualMachine vm, ushort port, bool input, int size, ref uint value)
        {
            vm.LastAddress = port;
            if (port == DebugExitPort && !input)
            {
                vm.Status = value;
                return VmExitReason.DebugExit;
            }
            uint result = 0;
            if (port >= VirtualConsole.Base && port <= VirtualConsole.Last)
            {
                if (input) result = VirtualConsole.Read(port);
                else VirtualConsole.Write(vm, port, value);
            }
            else if (port >= VirtualTimer.Base && port <= VirtualTimer.Last)
            {
                if (input) result = vm.Timer.Read(port);
                else vm.Timer.Write(port, value);
            }
            else if (port >= VirtualDisk.Base && port <= VirtualDisk.Last)
            {
                if (vm.Disk == null) result = VirtualDisk.ReadAbsent(port);
                else if (input) result = vm.Disk.Read(port, size);
                else vm.Disk.Write(port, value, size);
            }
            else return VmExitReason.UnhandledPort;      // a device this machine does not have: stop, and say which
            if (input) value = result;
            return ExitDispatch.Continue;
        }
    }
}
