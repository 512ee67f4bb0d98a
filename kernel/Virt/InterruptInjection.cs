using Proc;
using Sched;

namespace Virt
{
    /// <summary>
    /// How a tick of the guest's timer (Virt/VirtualTimer.cs) reaches the guest (APM vol. 2, 15.20 "Event
    /// Injection" and 15.21 "Interrupt and Local APIC Support"). The guest never sees the hardware's
    /// interrupts: the host's all end the guest's turn (the INTR intercept). A virtual interrupt is one the
    /// hypervisor makes up and hands over at VMRUN, in one of two ways:
    ///
    ///  - EVENTINJ (VMCB offset A8h): "deliver this event as VMRUN enters the guest". The CPU takes it
    ///    as if the guest's IDT entry had been raised right there: it pushes the guest's flags, CS and
    ///    RIP and jumps to the guest's handler. It checks nothing: injected into a guest whose IF is 0 (or
    ///    that just executed STI or MOV SS, the one-instruction "interrupt shadow"), it would arrive where
    ///    the guest said it must not. So the hypervisor injects only when RFLAGS.IF is 1 and there is no shadow.
    ///  - Otherwise it asks to be told when the guest can take one: V_IRQ (bit 8 of VMCB offset 60h)
    ///    says a virtual interrupt waits, and with the VINTR intercept the CPU exits (code 64h) at the
    ///    first instruction boundary where the guest's IF is 1 and no shadow holds: the "interrupt
    ///    window". That exit clears V_IRQ, and the next VMRUN injects through EVENTINJ.
    ///
    /// QEMU's SVM does both (target/i386/tcg/sysemu/svm_helper.c: EVENTINJ at VMRUN, V_IRQ as a request
    /// checked with the guest's IF). An event whose delivery an exit interrupted (a host interrupt
    /// halfway through pushing the guest's frame) comes back in EXITINTINFO and is injected again.
    /// </summary>
    public static unsafe class InterruptInjection
    {
        // EVENTINJ and EXITINTINFO (APM vol. 2, figure 15-4): vector, type, error-code valid, valid.
        private const ulong EventVectorMask = 0xFF;
        private const ulong EventTypeMask = 7ul << 8;
        private const ulong EventTypeExternalInterrupt = 0ul << 8;   // INTR: as a device's interrupt through the PIC or APIC
        private const ulong EventValid = 1ul << 31;

        private const ulong RflagsInterruptEnable = 1ul << 9;
        private const ulong InterruptShadowActive = 1ul << 0;

        // VMCB offset 60h (V_INTR control): V_IRQ, its priority (above any task priority), ignore the TPR.
        private const uint VirtualIrq = 1u << 8;
        private const uint VirtualIrqPriority = 0xFu << 16;
        private const uint VirtualIgnoreTpr = 1u << 20;
        private const uint WindowBits = VirtualIrq | VirtualIrqPriority | VirtualIgnoreTpr;

        /// <summary>The guest's RFLAGS.IF: whether it takes interrupts at all.</summary>
        public static bool GuestInterruptsOn(Vmcb* vmcb) => (vmcb->Rflags & RflagsInterruptEnable) != 0;

        /// <summary>Whether the guest would take an interrupt now: IF set and no interrupt shadow.</summary>
        public static bool GuestAcceptsInterrupts(Vmcb* vmcb)
            => (vmcb->Rflags & RflagsInterruptEnable) != 0 && (vmcb->InterruptShadow & InterruptShadowActive) == 0;

        /// <summary>Just before each VMRUN: a tick that is due goes in now, or the window is asked for.</summary>
        public static void BeforeEntry(VirtualMachine vm)
        {
            Vmcb* vmcb = vm.Vmcb;
            ulong unfinished = vmcb->ExitIntInfo;
            vmcb->ExitIntInfo = 0;
            if ((unfinished & EventValid) != 0 && (unfinished & EventTypeMask) == EventTypeExternalInterrupt)
            {
                vmcb->EventInj = unfinished & (EventVectorMask | EventTypeMask | EventValid);
                return;
            }

            vm.Timer.Poll();
            if (!vm.Timer.Pending) return;
            if (GuestAcceptsInterrupts(vmcb))
            {
                CloseWindow(vmcb);
                vmcb->EventInj = vm.Timer.Vector | EventTypeExternalInterrupt | EventValid;
                vm.Timer.Pending = false;
                vm.Timer.Delivered++;
                vm.InjectedInterrupts++;
            }
            else
            {
                vmcb->IntVector = vm.Timer.Vector;
                vmcb->VIntr |= WindowBits;
                vmcb->InterceptMisc1 |= Intercepts.Vintr;
            }
        }

        /// <summary>The VINTR exit (64h): the guest opened its interrupt window; the next VMRUN injects.</summary>
        public static int WindowOpened(VirtualMachine vm)
        {
            CloseWindow(vm.Vmcb);
            vm.WindowExits++;
            return ExitDispatch.Continue;
        }

        private static void CloseWindow(Vmcb* vmcb)
        {
            vmcb->VIntr &= ~WindowBits;
            vmcb->InterceptMisc1 &= ~Intercepts.Vintr;
        }

        /// <summary>
        /// HLT with interrupts on and the timer running: the guest waits for its next tick, as a CPU
        /// halts until an interrupt. The host thread sleeps until the deadline (the CPU goes to others
        /// meanwhile), then the tick is injected at the next VMRUN and the guest goes on after its HLT.
        /// A kill ends the wait: the run loop sees it.
        /// </summary>
        public static int WaitForTick(VirtualMachine vm)
        {
            Vmcb* vmcb = vm.Vmcb;
            vmcb->Rip += 1;                       // HLT is one byte (F4): the guest resumes after it
            // An interrupt shadow from an STI just before the HLT covered the HLT itself: it is over.
            vmcb->InterruptShadow &= ~InterruptShadowActive;
            vm.HaltExits++;
            vm.Timer.Poll();
            while (!vm.Timer.Pending && !Process.Current.Killed)
            {
                Scheduler.Sleep(vm.Timer.TicksToDeadline());
                vm.Timer.Poll();
            }
            return ExitDispatch.Continue;
        }
    }
}
