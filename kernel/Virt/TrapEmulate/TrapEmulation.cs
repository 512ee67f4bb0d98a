using Abi;
using Arch.X64;
using Proc;
using Sched;
using Terminal;

namespace Virt
{
    /// <summary>
    /// The trap-and-emulate backend (`vm run --backend trap`): the hypervisor without hardware
    /// support, as VMware's first one was. The guest runs deprivileged: ring 3, IOPL 0, on the tables of
    /// Virt/TrapEmulate/DeprivilegedGuest.cs, in the thread that called vm_run. Every privileged
    /// instruction it executes faults, and the fault is its exit: Traps/ExceptionHandler.cs asks
    /// Proc/UserFaults.cs (TakenByGuest), which hands a guest's
    /// exception to <see cref="Exception"/> (through Proc/GuestTrapHandler.cs) instead of killing the
    /// process, and the emulator (Virt/TrapEmulate/Emulator.cs) emulates the instruction and resumes the
    /// guest by the ordinary trap return, or stops it: then <see cref="Run"/> returns the reason.
    ///
    /// How the thread gets back into its system call: <see cref="Run"/> points the thread's kernel stack
    /// top below its own frame (the guest's traps then land below, leaving vm_run's frames alone) and
    /// enters the guest through Arch/X64/Deprivileged.cs, which saves the host's stack pointer; a stop
    /// leaves the trap's frames behind and returns to it. The host's own interrupts reach the host as
    /// they do in any program: the timer still preempts the guest's thread, and a kill ends the guest
    /// (Proc/TrapExit.cs) within a tick, so a guest in an endless loop cannot keep the CPU.
    /// </summary>
    public sealed unsafe class TrapEmulation : GuestTrapHandler
    {
        // Room between vm_run's frame and the guest's traps' frames: deprivileged_enter's own pushes.
        private const ulong NestedStackGap = 1024;

        /// <summary>Runs the guest until it stops: the VmExitReason, or -EINTR when the process is killed.</summary>
        public static long Run(VirtualMachine vm)
        {
            DeprivilegedGuest guest = vm.Deprivileged;
            Thread thread = Scheduler.Current;
            ulong ownStackTop = thread.KernelStackTop;
            ulong here;
            ulong nestedTop = ((ulong)&here - NestedStackGap) & ~15ul;    // 16-byte aligned, as a kernel stack's top
            TrapFrame first = guest.Registers;

            bool wereOn = Interrupts.Save();
            thread.Guest = vm;
            thread.GuestRoot = guest.Root;
            thread.KernelStackTop = nestedTop;
            Processor cpu = Processor.Current;
            cpu.UseKernelStack(nestedTop);
            Scheduler.UseAddressSpace(cpu, null, guest.Root);
            long reason;
            fixed (ulong* hostStack = &guest.HostStack) reason = Deprivileged.Enter(hostStack, &first, nestedTop);

            // Back from a stop, interrupts off, perhaps on another CPU than the one it left from.
            cpu = Processor.Current;
            thread.Guest = null;
            thread.GuestRoot = 0;
            thread.KernelStackTop = ownStackTop;
            cpu.UseKernelStack(ownStackTop);
            Scheduler.UseAddressSpace(cpu, thread.Owner?.AddressSpace);
            Interrupts.Restore(wereOn);
            return reason;
        }

        public override void Exception(TrapFrame* frame)
        {
            var vm = (VirtualMachine)Scheduler.Current.Guest;
            vm.Exits++;
            int reason = Emulator.Handle(vm, frame);
            if (reason != ExitDispatch.Continue) Stop(vm, frame, reason);
        }

        public override void SystemCall(TrapFrame* frame)
        {
            var vm = (VirtualMachine)Scheduler.Current.Guest;
            vm.Exits++;
            Console.WriteLine($"vm {vm.Id}: system call {frame->Rax} from the guest at rip 0x{frame->Rip:x}: a guest is not its process; guest stopped");
            Stop(vm, frame, VmExitReason.ForbiddenInstruction);
        }

        public override void Killed()
        {
            var vm = (VirtualMachine)Scheduler.Current.Guest;
            Deprivileged.Leave(vm.Deprivileged.HostStack, -Errno.EINTR);
        }

        // Keeps the guest's registers (a later vm_run resumes there, after a full console) and returns to Run.
        private static void Stop(VirtualMachine vm, TrapFrame* frame, int reason)
        {
            vm.Deprivileged.Registers = *frame;
            Deprivileged.Leave(vm.Deprivileged.HostStack, reason);
        }
    }
}
