using Abi;
using Terminal;

namespace Virt
{
    /// <summary>
    /// The exits that end a guest's run, each with a report on the host's console, as the kernel
    /// reports a program's page fault: the guest is stopped, the host runs on. HLT is the guest's way to
    /// say it is done when nothing could wake it: its interrupts are off or its timer stopped
    /// (with both on, a halt waits for the next tick: Virt/InterruptInjection.cs). A nested page fault
    /// (400h) is an access outside the guest's memory: EXITINFO2 is the guest-physical address,
    /// EXITINFO1 an error code like a #PF's (bit 0 present, bit 1 write, bit 4 instruction fetch; APM vol.
    /// 2, 15.25.6). SHUTDOWN (7Fh) is a triple fault. The SVM instructions and MSR accesses are what a
    /// guest may not do here.
    /// </summary>
    public static unsafe class StopExits
    {
        private const ulong FaultWrite = 1ul << 1;
        private const ulong FaultFetch = 1ul << 4;

        public static int Halt(VirtualMachine vm)
        {
            // With interrupts on and its timer running, a halt is a wait for the next tick (an STI's
            // shadow may still hold at the HLT exit: it covers only the HLT, which the wait steps over).
            if (vm.Timer.IsRunning && InterruptInjection.GuestInterruptsOn(vm.Vmcb)) return InterruptInjection.WaitForTick(vm);
            vm.Vmcb->Rip += 1;             // HLT is one byte (F4): a later look at RIP shows where it stopped
            // Nothing can wake it: it is done. Said aloud when it asked for ticks it can no longer take.
            if (vm.Timer.IsRunning)
                Console.WriteLine($"vm {vm.Id}: halted with interrupts off at rip 0x{vm.Vmcb->Rip - 1:x}: no tick can wake it; guest stopped");
            return VmExitReason.Halted;
        }

        public static int NestedPageFault(VirtualMachine vm)
        {
            Vmcb* vmcb = vm.Vmcb;
            ulong address = vmcb->ExitInfo2;
            ulong error = vmcb->ExitInfo1;
            vm.LastAddress = (long)address;
            string access = (error & FaultFetch) != 0 ? "fetch" : (error & FaultWrite) != 0 ? "write" : "read";
            Console.WriteLine($"vm {vm.Id}: nested page fault: guest-physical 0x{address:x} ({access}, outside its {vm.Memory.Size / (1024 * 1024)} MiB) at rip 0x{vmcb->Rip:x}; guest stopped");
            return VmExitReason.NestedPageFault;
        }

        public static int Shutdown(VirtualMachine vm)
        {
            Console.WriteLine($"vm {vm.Id}: shutdown (triple fault) at rip 0x{vm.Vmcb->Rip:x}; guest stopped");
            return VmExitReason.Shutdown;
        }

        public static int Forbidden(VirtualMachine vm, ulong code)
        {
            string what = SvmExitCodes.Name(code);
            if (code == SvmExitCodes.Msr)
                Console.WriteLine($"vm {vm.Id}: forbidden: {((vm.Vmcb->ExitInfo1 & 1) != 0 ? "WRMSR" : "RDMSR")} of MSR 0x{(uint)vm.Registers.Rcx:x} at rip 0x{vm.Vmcb->Rip:x}; guest stopped");
            else
                Console.WriteLine($"vm {vm.Id}: forbidden: the guest executed {what} at rip 0x{vm.Vmcb->Rip:x}; guest stopped");
            return VmExitReason.ForbiddenInstruction;
        }

        public static int Unexpected(VirtualMachine vm, ulong code)
        {
            Console.WriteLine($"vm {vm.Id}: exit 0x{code:x} ({SvmExitCodes.Name(code)}) the hypervisor does not expect, rip 0x{vm.Vmcb->Rip:x}; guest stopped");
            return VmExitReason.InvalidState;
        }
    }
}
