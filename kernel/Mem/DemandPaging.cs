namespace Mem
{
    /// <summary>
    /// The crossing from the memory layer up to the process layer for a page that is not mapped yet but
    /// may be: a lazy page of the heap or of an anonymous mapping, which gets its frame on first touch.
    /// Only the process layer knows a process's break and mappings (kernel/Layers.txt puts processes
    /// above memory), so it registers its handler here at boot (Proc/UserPageFaults.cs, registered by
    /// KernelMain). Two paths ask it: the program's own page fault (Proc/UserFaults.cs), and the copy
    /// layer (Mem/UserMemory.cs), when the kernel reads or writes a user page for a system call before
    /// the program ever touched it (a `read` into a fresh sbrk buffer). Before it is registered no page
    /// is lazy, and the copy layer fails such copies with -EFAULT as it always did.
    /// An abstract class, not an interface: it is called with a spin lock held and interrupts off, and
    /// in this runtime an interface's first call allocates its dispatch cache.
    /// </summary>
    public abstract class DemandPaging
    {
        /// <summary>The process layer's handler, or null before it registers.</summary>
        public static DemandPaging Registered { get; private set; }

        public static void Register(DemandPaging handler) => Registered = handler;

        /// <summary>
        /// Makes the page holding <paramref name="address"/> in <paramref name="space"/> usable for the
        /// access (a write, if <paramref name="write"/>) if the process may have it there: true if it is
        /// mapped now. False if the address is not the process's to touch, or memory ran out (then the
        /// handler has already reported it and killed the process). Called with space.Lock held.
        /// </summary>
        public abstract bool TryResolveLocked(AddressSpace space, ulong address, bool write);
    }
}
