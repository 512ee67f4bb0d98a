using Abi;

namespace Virt
{
    /// <summary>
    /// After each #VMEXIT: what happened, by the VMCB's EXITCODE (APM vol. 2, appendix C), and who deals
    /// with it. A handler either emulates what the guest asked for and lets it go on
    /// (<see cref="Continue"/>) or stops it with a reason (Abi.VmExitReason) that VmRun reports.
    /// </summary>
    public static unsafe class ExitDispatch
    {
        public const int Continue = 0;

        public static int Handle(VirtualMachine vm)
        {
            ulong code = vm.Vmcb->ExitCode;
            vm.Exits++;
            switch (code)
            {
                case SvmExitCodes.Intr:
                    // The host's interrupt (the timer) ended the guest's turn. It is still pending and is
                    // taken as soon as the run loop turns interrupts back on; nothing to do here.
                    vm.InterruptExits++;
                    return Continue;
                case SvmExitCodes.Vintr: return InterruptInjection.WindowOpened(vm);
                case SvmExitCodes.Ioio: return IoExit.Handle(vm);
                case SvmExitCodes.Cpuid: return CpuidExit.Handle(vm);
                case SvmExitCodes.Hlt: return StopExits.Halt(vm);
                case SvmExitCodes.NestedPageFault: return StopExits.NestedPageFault(vm);
                case SvmExitCodes.Shutdown: return StopExits.Shutdown(vm);
                case SvmExitCodes.Msr:
                case SvmExitCodes.Vmrun:
                case SvmExitCodes.Vmmcall:
                case SvmExitCodes.Vmload:
                case SvmExitCodes.Vmsave:
                case SvmExitCodes.Stgi:
                case SvmExitCodes.Clgi:
                case SvmExitCodes.Skinit:
                    return StopExits.Forbidden(vm, code);
                default: return StopExits.Unexpected(vm, code);
            }
        }
    }
}
