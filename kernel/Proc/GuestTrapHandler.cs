using Arch.X64;
using Sched;

namespace Proc
{
    /// <summary>
    /// The crossing from the process layer up to the hypervisor (kernel/Layers.txt: Virt sits above Proc)
    /// for a thread that runs a guest deprivileged in ring 3, the trap-and-emulate backend
    /// (Virt/TrapEmulate/TrapEmulation.cs, registered by KernelMain). Such a thread's traps from ring 3
    /// are the guest's, not its program's: an exception is an exit to the emulator instead of a kill
    /// (Traps/ExceptionHandler.cs asks Proc/UserFaults.cs TakenByGuest first), a system call from the guest is refused (Syscalls/SyscallDispatcher.cs: the
    /// guest must not act as the process), and a kill ends the guest first (Proc/TrapExit.cs).
    /// An abstract class, not an interface: it is called with interrupts off.
    /// </summary>
    public abstract unsafe class GuestTrapHandler
    {
        public static GuestTrapHandler Registered { get; private set; }

        public static void Register(GuestTrapHandler handler) => Registered = handler;

        /// <summary>Whether the running thread is running a deprivileged guest right now.</summary>
        public static bool RunsGuest => Scheduler.Current.Guest != null;

        /// <summary>An exception in the guest: emulate and return (the guest resumes), or end the guest's run.</summary>
        public abstract void Exception(TrapFrame* frame);

        /// <summary>The guest executed `syscall` or `int 0x80`: ends its run.</summary>
        public abstract void SystemCall(TrapFrame* frame);

        /// <summary>The process was killed while its thread ran the guest: ends the guest's run (the kill then takes effect).</summary>
        public abstract void Killed();
    }
}
