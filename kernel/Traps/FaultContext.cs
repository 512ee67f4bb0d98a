namespace Traps
{
    /// <summary>
    /// What a fault report asks the process layer: the crossing from Traps up to Proc. An exception in
    /// user mode is reported with the name of the user code it happened in, which only the process
    /// layer can give: which process is running, which program it runs, that program's symbols
    /// (Proc/ProcessFaultContext.cs implements it; KernelMain registers it with
    /// <see cref="ExceptionReport.RegisterContext"/>), so the trap path names no process and no loader.
    /// An abstract class rather than an interface: reports run with interrupts off, where the
    /// runtime's first interface call on a type, which fills a cache, could not allocate.
    /// </summary>
    public abstract class FaultContext
    {
        /// <summary>
        /// Writes where in the running program <paramref name="address"/> is (function+offset in path),
        /// or why that cannot be said. Runs while a report is printed: no allocation.
        /// </summary>
        public abstract void WriteUserLocation(ulong address);
    }
}
