using System.Runtime.CompilerServices;
using Sync;
using Arch.X64;

namespace Mem
{
    /// <summary>
    /// A kernel stack: <see cref="Pages"/> pages in the kernel-stacks area, with the page below them left
    /// unmapped. A stack that overflows runs into that guard page and faults at once (the fault
    /// report says so) instead of silently overwriting whatever lies below.
    /// Stacks live in fixed 64 KiB slots; freed slots are reused. There is a hard maximum of stacks
    /// (`max-kernel-stacks=` on the command line, Proc/Limits.cs): past it <see cref="TryAllocate"/>
    /// fails and the thread is not created (-EAGAIN), so the slot bookkeeping can never overflow.
    /// </summary>
    public sealed unsafe class KernelStack
    {
        public const int Pages = 8;                      // 32 KiB
        private const ulong SlotSize = 64 * 1024;
        public const int DefaultMaximum = 1024;

        /// <summary>
        /// Highest maximum the command line may set: 64 Ki stacks, whose page tables (made at boot, see
        /// <see cref="Configure"/>) take 8 MiB. The area itself, one PML4 slot of 512 GiB, has room for 8 Mi.
        /// </summary>
        public const int HighestMaximum = 64 * 1024;
        private const ulong SlotsPerPageTable = PageTables.LargePageSize / SlotSize;     // one table maps 2 MiB

        /// <summary>Most stacks that may exist at once, released ones not yet freed included.</summary>
        public static int Maximum { get; private set; } = DefaultMaximum;

        private static ulong s_nextSlot;
        private static ulong[] s_freeSlots;             // made by Configure (no stack is freed before it)
        private static int s_freeSlotCount;

        /// <summary>
        /// Sets <see cref="Maximum"/> (at boot, before any stack is freed) and makes the page tables of
        /// every slot now: a new stack then never needs a table, and the tables are not memory a user's
        /// threads take and keep (the memory check after init counts every frame).
        /// </summary>
        public static void Configure(int maximum)
        {
            if (maximum > HighestMaximum) maximum = HighestMaximum;
            s_freeSlots = new ulong[maximum];
            Maximum = maximum;
            for (ulong slot = 0; slot < (ulong)maximum; slot += SlotsPerPageTable)
                PageTables.Walk(KernelAddressSpace.Pml4, KernelAddressSpace.KernelStacksBase + slot * SlotSize, create: true);
        }

        /// <summary>Lowest usable address (the guard page is just below it).</summary>
        public ulong Bottom { get; private set; }

        /// <summary>Initial stack pointer: the stack grows down from here.</summary>
        public ulong Top => Bottom + Pages * PageTables.PageSize;

        public static int LiveCount { get; private set; }

        private static SpinLock s_lock;

        // Stacks given back, whose pages other CPUs may still have in their TLBs (see Free).
        private static KernelStack s_released;
        private KernelStack _nextReleased;

        /// <summary>A stack for the kernel's own threads (idle threads): there must be one, or panic.</summary>
        public static KernelStack Allocate()
        {
            KernelStack stack = TryAllocate(forUser: false);
            if (stack == null) Diagnostics.Panic.Halt("no kernel stack for a kernel thread (max-kernel-stacks too low?)");
            return stack;
        }

        /// <summary>
        /// A new stack, or null when <see cref="Maximum"/> stacks exist or memory is short. A stack for a
        /// user's thread is kernel memory on a user's behalf (<paramref name="forUser"/>): it may not take
        /// the kernel's last frames (Mem/MemoryBudget.cs).
        /// </summary>
        public static KernelStack TryAllocate(bool forUser)
        {
            if (forUser && !MemoryBudget.CanAllocateKernelFrames(Pages)) return null;
            var stack = new KernelStack();
            bool flags = s_lock.Acquire();
            if (LiveCount >= Maximum)
            {
                s_lock.Release(flags);
                KernelHeap.Free(stack);
                return null;
            }
            ulong slot = s_freeSlotCount > 0 ? s_freeSlots[--s_freeSlotCount] : s_nextSlot++;
            stack.Bottom = KernelAddressSpace.KernelStacksBase + slot * SlotSize + PageTables.PageSize;
            for (int i = 0; i < Pages; i++)
            {
                ulong frame = FrameAllocator.TryAllocate();
                if (frame == 0)
                {
                    // Never mapped anywhere else: no other CPU can hold these pages in its TLB yet.
                    for (int j = 0; j < i; j++) FrameAllocator.Free(PageTables.Unmap(KernelAddressSpace.Pml4, stack.Bottom + (ulong)j * PageTables.PageSize));
                    s_freeSlots[s_freeSlotCount++] = slot;
                    s_lock.Release(flags);
                    KernelHeap.Free(stack);
                    return null;
                }
                PageMapping.Map(KernelAddressSpace.Pml4, stack.Bottom + (ulong)i * PageTables.PageSize, frame,
                               PageTables.Writable | PageTables.NoExecute | PageTables.Global);
            }
            LiveCount++;
            s_lock.Release(flags);
            return stack;
        }

        /// <summary>
        /// Gives the stack back. Its thread may have run on other CPUs, which may still hold its pages'
        /// translations in their TLBs; reusing the pages before they forget would let one CPU write into
        /// another thread's stack. So the stack is only queued here (this may run with the scheduler lock
        /// held, when IPIs cannot be waited for), and <see cref="FreeReleased"/> finishes the job.
        /// </summary>
        public void Free()
        {
            bool flags = s_lock.Acquire();
            _nextReleased = s_released;
            s_released = this;
            s_releasedCount++;
            s_lock.Release(flags);
            DeferredFreeing.Queued();
        }

        // Stacks released and not yet fully freed: on the list, or taken off it by a CPU that is
        // still waiting for the shootdown.
        private static int s_releasedCount;

        /// <summary>
        /// Frees every released stack, including those another CPU is freeing right now, before
        /// returning: for leak checks, which must not count a stack that is merely on its way out.
        /// </summary>
        public static void FreeAllReleased()
        {
            FreeReleased();
            while (System.Threading.Volatile.Read(ref s_releasedCount) > 0) Arch.X64.Cpu.Pause();
        }

        /// <summary>
        /// Unmaps the queued stacks, makes every CPU forget them (a TLB shootdown), and only then returns
        /// their frames and slots. Call with no lock held (ThreadJoins.TryJoin, Processes.Wait do).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void FreeReleased()
        {
            // Every syscall calls this, and there is nearly always nothing to do: so only the test is
            // here, inlined into the caller (one compare of one word, Mem/DeferredFreeing.cs), and the
            // work is in FinishFreeing, whose prologue alone (six registers saved, a zeroed stackalloc)
            // cost the syscall 40 instructions. The kernel heap's freed pages need the same moment with
            // no lock held (Mem/HeapArea.cs), and the same word counts them.
            if (DeferredFreeing.Any) FinishFreeing();
        }

        private static void FinishFreeing()
        {
            KernelHeap.ReleaseFreedPages();
            if (System.Threading.Volatile.Read(ref s_releasedCount) == 0) return;

            // No thread switch until every stack taken off the list is freed: they still count as
            // released, and FreeAllReleased waits for the count to reach zero. An idle thread switched
            // out halfway (work arrived for its CPU) would not run again while that CPU is busy,
            // perhaps busy waiting in FreeAllReleased for the stacks it holds.
            Preemption.Disable();
            bool flags = s_lock.Acquire();
            KernelStack stacks = s_released;
            s_released = null;
            s_lock.Release(flags);

            ulong* frames = stackalloc ulong[Pages];
            while (stacks != null)
            {
                KernelStack stack = stacks;
                stacks = stack._nextReleased;
                flags = s_lock.Acquire();
                for (int i = 0; i < Pages; i++)
                    frames[i] = PageTables.Unmap(KernelAddressSpace.Pml4, stack.Bottom + (ulong)i * PageTables.PageSize);
                s_lock.Release(flags);

                TlbShootdown.Everywhere(stack.Bottom, Pages);

                flags = s_lock.Acquire();
                for (int i = 0; i < Pages; i++) FrameAllocator.Free(frames[i]);
                s_freeSlots[s_freeSlotCount++] = (stack.Bottom - PageTables.PageSize - KernelAddressSpace.KernelStacksBase) / SlotSize;
                LiveCount--;
                s_releasedCount--;
                s_lock.Release(flags);
                DeferredFreeing.Done();
                KernelHeap.Free(stack);
            }
            Preemption.Enable();
        }

        private const ulong UnusedPattern = 0x5AFE5AFE5AFE5AFE;

        /// <summary>Fills a new stack with a pattern, so <see cref="HighWaterMark"/> can see how deep it was used.</summary>
        public static void Fill(KernelStack stack)
        {
            for (ulong* word = (ulong*)stack.Bottom; word < (ulong*)stack.Top; word++) *word = UnusedPattern;
        }

        /// <summary>The most bytes of this stack ever used: from the top down to the deepest overwritten word.</summary>
        public ulong HighWaterMark()
        {
            ulong* word = (ulong*)Bottom;
            while (word < (ulong*)Top && *word == UnusedPattern) word++;
            return Top - (ulong)word;
        }

        public ulong Size => Top - Bottom;

        /// <summary>For fault reports: is the address a stack's guard page?</summary>
        public static string Describe(ulong address)
        {
            ulong offset = (address - KernelAddressSpace.KernelStacksBase) % SlotSize;
            return offset < PageTables.PageSize ? "a kernel stack's guard page (stack overflow)" : "a kernel stack";
        }
    }
}
