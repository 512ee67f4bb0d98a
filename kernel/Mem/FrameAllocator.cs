using Arch.X64;
using Boot;
using Sync;
using Terminal;

namespace Mem
{
    /// <summary>
    /// Physical memory, in 4 KiB frames. Built from the boot loader's memory map: usable RAM is free,
    /// except what is already taken (the first 1 MiB, the kernel image, the boot modules). Every page
    /// table, kernel stack, heap extension and user page comes from here, and goes back here.
    /// </summary>
    public static unsafe class FrameAllocator
    {
        public const ulong FrameSize = 4096;
        private const ulong LowMemoryEnd = 0x100000;           // BIOS data, VGA memory, ROMs
        private const ulong KernelPhysicalStart = 0x100000;    // kernel/Boot/linker.ld

        private static FrameBitmap s_bitmap;
        private static SpinLock s_lock;

        public static ulong FreeFrames => s_bitmap.FreeCount;
        public static ulong TotalFrames => s_bitmap.FrameCount;

        public static void Initialize()
        {
            ulong highest = 0;
            for (int i = 0; i < BootInfo.RegionCount; i++)
                if (BootInfo.Regions[i].Usable && BootInfo.Regions[i].Start + BootInfo.Regions[i].Length > highest)
                    highest = BootInfo.Regions[i].Start + BootInfo.Regions[i].Length;

            s_bitmap = new FrameBitmap(highest / FrameSize);
            for (int i = 0; i < BootInfo.RegionCount; i++)
            {
                MemoryRegion region = BootInfo.Regions[i];
                if (!region.Usable) continue;
                // Only whole frames inside the region count.
                ulong first = (region.Start + FrameSize - 1) / FrameSize;
                ulong end = (region.Start + region.Length) / FrameSize;
                if (end > first) s_bitmap.MarkFree(first, end - first);
            }

            ulong kernelEnd = DirectMap.ToPhysical(Boot.LinkerSymbols.KernelEnd());
            s_bitmap.MarkUsed(0, LowMemoryEnd / FrameSize);
            s_bitmap.MarkUsed(KernelPhysicalStart / FrameSize, (kernelEnd - KernelPhysicalStart + FrameSize - 1) / FrameSize);
            for (int i = 0; i < BootInfo.ModuleCount; i++)
            {
                BootModule module = BootInfo.Modules[i];
                s_bitmap.MarkUsed(module.Start / FrameSize, (module.End - module.Start + FrameSize - 1) / FrameSize + 1);
            }
        }

        /// <summary>A zero-filled frame's physical address. Panics when memory is exhausted.</summary>
        public static ulong Allocate()
        {
            ulong physical = TryAllocate();
            if (physical == 0) Diagnostics.Panic.Halt("out of physical memory");
            return physical;
        }

        /// <summary>A zero-filled frame's physical address, or 0 when none is free.</summary>
        public static ulong TryAllocate()
        {
            bool flags = s_lock.Acquire();
            long frame = s_bitmap.Allocate();
            s_lock.Release(flags);
            if (frame < 0) return 0;
            ulong physical = (ulong)frame * FrameSize;
            ulong* words = (ulong*)DirectMap.ToVirtual(physical);
            for (int i = 0; i < (int)(FrameSize / 8); i++) words[i] = 0;
            return physical;
        }

        /// <summary>
        /// <paramref name="count"/> physically consecutive frames (the kernel heap grows by such runs, so
        /// its blocks are contiguous in the direct map). Not zeroed. 0 if no run is long enough.
        /// </summary>
        public static ulong AllocateContiguous(ulong count)
        {
            if (s_bitmap == null) return 0;
            bool flags = s_lock.Acquire();
            long first = s_bitmap.AllocateRun(count);
            s_lock.Release(flags);
            return first < 0 ? 0 : (ulong)first * FrameSize;
        }

        public static void Free(ulong physical)
        {
            bool flags = s_lock.Acquire();
            bool freed = s_bitmap.Free(physical / FrameSize);
            s_lock.Release(flags);
            if (!freed) Diagnostics.Panic.Halt("frame freed twice (or never allocated)");
        }

        public static void PrintUsage()
        {
            Console.WriteLine($"frames: {FreeFrames} free of {TotalFrames} ({FreeFrames * FrameSize / (1024 * 1024)} MiB free)");
        }
    }
}
