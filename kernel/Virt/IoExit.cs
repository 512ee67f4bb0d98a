using Abi;

namespace Virt
{
    /// <summary>
    /// The I/O exit (exit code 7Bh): the guest executed IN or OUT on an intercepted port. EXITINFO1
    /// decodes the instruction (APM vol. 2, 15.10.2, figure 15-2): bit 0 is the direction (1 = IN), bit 2
    /// a string instruction (INS/OUTS), bits 4-6 the size (8, 16, 32 bits), bits 16-31 the port. EXITINFO2
    /// is the RIP of the next instruction, the one exit for which the hardware (and QEMU) gives it, so
    /// the hypervisor need not decode the instruction's length to step over it. The value is in the
    /// guest's RAX, which the VMCB holds. Virt/VirtualPorts.cs finds the port's virtual device.
    /// </summary>
    public static unsafe class IoExit
    {
        private const ulong DirectionIn = 1ul << 0;
        private const ulong StringInstruction = 1ul << 2;
        private const ulong Size8 = 1ul << 4, Size16 = 1ul << 5;
        private const int PortShift = 16;

        /// <summary>The virtual debug-exit port (Virt/VirtualPorts.cs).</summary>
        public const ushort DebugExitPort = VirtualPorts.DebugExitPort;

        public static int Handle(VirtualMachine vm)
        {
            Vmcb* vmcb = vm.Vmcb;
            ulong info = vmcb->ExitInfo1;
            ushort port = (ushort)(info >> PortShift);
            vm.IoExits++;
            bool input = (info & DirectionIn) != 0;
            ulong mask = (info & Size8) != 0 ? 0xFFul : (info & Size16) != 0 ? 0xFFFFul : 0xFFFF_FFFFul;
            vm.LastAddress = port;

            if ((info & StringInstruction) != 0)
                return VmExitReason.UnhandledPort;       // INS/OUTS: no virtual device here takes a string

            int size = (info & Size8) != 0 ? 1 : (info & Size16) != 0 ? 2 : 4;
            uint value = (uint)(vmcb->Rax & mask);
            int reason = VirtualPorts.Access(vm, port, input, size, ref value);
            if (reason == VmExitReason.DebugExit) vmcb->Rip = vmcb->ExitInfo2;
            if (reason != ExitDispatch.Continue) return reason;
            uint result = value;

            if (input) vmcb->Rax = (vmcb->Rax & ~mask) | (result & mask);
            vmcb->Rip = vmcb->ExitInfo2;                  // step over the IN/OUT
            return vm.ConsoleIsFull ? VmExitReason.ConsoleFull : ExitDispatch.Continue;
        }
    }
}
