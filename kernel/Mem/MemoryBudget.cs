namespace Mem
{
    /// <summary>
    /// Who may take the last free frames. Without a policy the first to ask wins: a program that grows
    /// its heap until memory is gone leaves the kernel unable to allocate a page table or a kernel stack,
    /// and the kernel panics ("out of physical memory") for a user's greed. So the last frames are kept
    /// back, in two tiers:
    /// <code>
    ///   free frames
    ///   ...                  anyone: user pages (sbrk, the loader's segments and stacks)
    ///   ReserveFrames  ----  user pages stop here: -ENOMEM
    ///   ...                  kernel memory taken on a user's behalf (kernel stacks of new threads,
    ///                        pipe buffers, program images)
    ///   CriticalFrames ----  those stop here: -ENOMEM, and the out-of-memory killer takes memory back
    ///   ...                  the kernel's own: page tables, kernel-heap growth, work already under way
    ///   0
    /// </code>
    /// A check and the allocation after it are not one atomic step: two CPUs may both pass the same check
    /// and take a frame each. That only dips a little into the next tier, which is what tiers are for.
    /// The reserve is set with `frame-reserve=FRAMES` on the kernel command line (Proc/Limits.cs parses it).
    ///
    /// Lazy memory (the heap, anonymous mappings: Proc/UserPageFaults.cs) gets its frames only when a page
    /// is first touched, yet sbrk and mmap still answer -ENOMEM up front, as they did when they mapped
    /// every page at once: each untouched lazy page holds a *promise* of one frame, and user pages may
    /// only be had from the frames above the reserve that nobody was promised. This is Linux's strict
    /// commit accounting (vm.overcommit_memory = 2, "Committed_AS"). Kernel memory on a user's behalf
    /// counts promised frames as taken too (so a heap that promised everything still leads to the
    /// out-of-memory killer, as a heap that mapped everything did); only the kernel's own tier ignores
    /// them. So a first touch finds its frame unless the kernel's own needs ate it: that process is then
    /// killed with a report, never the kernel.
    /// </summary>
    public static unsafe class MemoryBudget
    {
        /// <summary>Default reserve: 4 MiB, room for thousands of page tables and a few heap growths.</summary>
        public const ulong DefaultReserveFrames = 1024;

        /// <summary>User pages are refused once this few frames are free.</summary>
        public static ulong ReserveFrames { get; private set; } = DefaultReserveFrames;

        /// <summary>Kernel memory for users is refused below this; the rest is the kernel's alone.</summary>
        public static ulong CriticalFrames => ReserveFrames / 2;

        /// <summary>Sets the reserve (boot, before the first user process).</summary>
        public static void Configure(ulong reserveFrames) => ReserveFrames = reserveFrames;

        private static ulong s_promised;

        /// <summary>Frames promised to lazy pages that nobody has touched yet (in all address spaces).</summary>
        public static ulong PromisedFrames => s_promised;

        /// <summary>Can a user's own pages (heap, stack, program segments) take <paramref name="count"/> more frames?</summary>
        public static bool CanAllocateUserFrames(ulong count) => FrameAllocator.FreeFrames >= ReserveFrames + s_promised + count;

        /// <summary>
        /// Promises <paramref name="count"/> frames to lazy pages if there are that many above the reserve
        /// and the promises already made; false (promising nothing) if not. Atomic: two CPUs promising at
        /// once cannot both take the last frames (the check and the increment are one compare-exchange).
        /// </summary>
        public static bool TryPromise(ulong count)
        {
            fixed (ulong* promised = &s_promised)
            {
                while (true)
                {
                    ulong before = *promised;
                    if (FrameAllocator.FreeFrames < ReserveFrames + before + count) return false;
                    if (Arch.X64.Atomic.CompareExchange(promised, before + count, before) == before) return true;
                }
            }
        }

        /// <summary>Takes back promises: their pages were touched (the frame is taken) or freed untouched.</summary>
        public static void ReleasePromise(ulong count)
        {
            if (count == 0) return;
            fixed (ulong* promised = &s_promised) Arch.X64.Atomic.Add(promised, 0UL - count);
        }

        /// <summary>
        /// The frame a promised page gets when it is first touched (its own promise is what lets it dip
        /// below the others' promises): zeroed, or 0 when only the frames the kernel keeps for its own
        /// work under way are left (kernel memory ate the promised ones).
        /// The caller releases the promise once the page is mapped.
        /// </summary>
        public static ulong TryAllocatePromisedFrame() => FrameAllocator.FreeFrames >= CriticalFrames + 1 ? FrameAllocator.TryAllocate() : 0;

        /// <summary>Can the kernel take <paramref name="count"/> frames on a user's behalf (a kernel stack, a buffer)?</summary>
        public static bool CanAllocateKernelFrames(ulong count) => FrameAllocator.FreeFrames >= CriticalFrames + s_promised + count;

        /// <summary>Bytes rounded up to frames, for <see cref="CanAllocateKernelFrames"/> of heap objects.</summary>
        public static ulong FramesFor(ulong bytes) => (bytes + FrameAllocator.FrameSize - 1) / FrameAllocator.FrameSize;

        /// <summary>
        /// The one way to get a frame for a user page: a zeroed frame, or 0 when free frames are down to
        /// the reserve (the caller rolls back what it did and returns -ENOMEM).
        /// </summary>
        public static ulong TryAllocateUserFrame() => CanAllocateUserFrames(1) ? FrameAllocator.TryAllocate() : 0;

        /// <summary>A frame for kernel memory on a user's behalf, or 0 below the critical level.</summary>
        public static ulong TryAllocateKernelFrame() => CanAllocateKernelFrames(1) ? FrameAllocator.TryAllocate() : 0;
    }
}
