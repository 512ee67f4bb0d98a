using Arch.X64;

namespace Traps
{
    /// <summary>
    /// The crossing from the trap layer up to the process layer for an exception in ring 3. The trap
    /// layer sits below processes (kernel/Layers.txt): it cannot name the program that trapped, let
    /// alone end it. So the process layer registers its handler here at boot (Proc/UserFaults.cs,
    /// registered by KernelMain), and the trap layer calls it for a program's int3, for a program's
    /// fault, and to name user code in a report (which process runs, which program, its symbols).
    /// Before it is registered, a user exception is handled like a kernel one.
    /// An abstract class, not an interface: it is called with interrupts off, and in this runtime an
    /// interface's first call allocates its dispatch cache.
    /// </summary>
    public abstract unsafe class UserExceptionHandler
    {
        /// <summary>The process layer's handler, or null before it registers.</summary>
        public static UserExceptionHandler Registered { get; private set; }

        public static void Register(UserExceptionHandler handler) => Registered = handler;

        /// <summary>
        /// A program executed int3. The CPU has already set RIP past the one-byte instruction, so a
        /// handler that returns resumes the program after it.
        /// </summary>
        public abstract void Breakpoint(TrapFrame* frame);

        /// <summary>
        /// Any other exception in a program (#DB and NMI are handled below): the program's fault, and
        /// the faulting thread leaves; unless it was a page fault the process layer resolves (the first
        /// touch of a lazy page): then the handler returns and the instruction runs again.
        /// </summary>
        public abstract void Fault(TrapFrame* frame);

        /// <summary>
        /// Asked first, for every exception in ring 3 but an NMI: true when the running thread is not
        /// running its program but a guest deprivileged in ring 3 (the trap-and-emulate hypervisor), and
        /// the process layer has handed the exception to it: then neither method above is called.
        /// </summary>
        public abstract bool TakenByGuest(TrapFrame* frame);

        /// <summary>
        /// Writes where in the running program <paramref name="address"/> is (function+offset in path),
        /// or why that cannot be said. Runs while a report is printed: no allocation.
        /// </summary>
        public abstract void WriteUserLocation(ulong address);
    }
}
