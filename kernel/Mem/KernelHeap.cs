using System;
using System.Runtime;
using Arch.X64;
using Sync;
using TeachOS.Boundary;
using Terminal;

namespace Mem
{
    /// <summary>
    /// Memory for the kernel's C# objects: every <c>new</c> in the kernel ends here (through the base
    /// library's RhpNewFast and friends). There is no garbage collector; objects whose lifetime ends
    /// (a process's tables after it is reaped, say) are given back with <see cref="Free"/>.
    ///
    /// Design: small blocks come from size classes (32, 64, ..., 2048 bytes), each a free list of
    /// equal blocks carved from 64 KiB chunks; larger blocks come straight from a chunk of their own.
    /// Every block starts with a 16-byte header recording its size class, so Free needs no size.
    /// The heap starts with an area reserved in the kernel image (.bss) and grows with frames from
    /// the physical allocator once it exists (<see cref="AddMemory"/>).
    /// </summary>
    public static unsafe class KernelHeap
    {
        private const int HeaderSize = 16;
        private const int SmallestClass = 32;
        private const int ClassCount = 7;                // 32, 64, 128, 256, 512, 1024, 2048
        private const int LargestSmallBlock = SmallestClass << (ClassCount - 1);
        private const ulong ChunkSize = 64 * 1024;
        private const ulong LargeBlockMarker = 0xFFFF;   // in the header: not a size class

        private struct Header
        {
            public ulong SizeClass;                      // index, or LargeBlockMarker
            public ulong Bytes;                          // bytes the block occupies, header included
        }

        private struct FreeBlock
        {
            public FreeBlock* Next;
        }

        // Free lists, one per size class (fixed array: no allocation to manage allocation).
        private static FreeBlock* s_free0, s_free1, s_free2, s_free3, s_free4, s_free5, s_free6;

        // The area blocks are carved from: [s_areaNext, s_areaEnd).
        private static byte* s_areaNext;
        private static byte* s_areaEnd;

        // Large blocks freed, kept for reuse (first fit).
        private static Header* s_freeLarge;

        public static ulong BytesInUse { get; private set; }
        public static ulong PeakBytesInUse { get; private set; }
        public static ulong BytesReserved { get; private set; }
        public static ulong AllocationCount { get; private set; }
        public static ulong FreeCount { get; private set; }

        /// <summary>Called by Platform.Allocate (the runtime's allocation hook).</summary>
        [RuntimeExport("teachos_platform_allocate")]
        private static void* PlatformAllocate(nuint size) => Allocate((ulong)size);

        /// <summary>Hands the heap a region of memory (virtual addresses) to allocate from.</summary>
        public static void AddMemory(byte* start, ulong bytes)
        {
            // Older areas' leftovers are abandoned: simpler than tracking several areas.
            byte* aligned = (byte*)(((ulong)start + 15) & ~15UL);
            s_areaNext = aligned;
            s_areaEnd = start + bytes;
            BytesReserved += bytes;
        }

        /// <summary>The heap's lock (Sync/SpinLock.cs lists the order): the innermost but the console's.</summary>
        private static SpinLock s_lock;

        /// <summary>Returns <paramref name="size"/> zeroed bytes, 16-byte aligned.</summary>
        [MayAllocate]
        public static void* Allocate(ulong size)
        {
            bool flags = s_lock.Acquire();
            void* block = AllocateLocked(size);
            s_lock.Release(flags);
            return block;
        }

        private static void* AllocateLocked(ulong size)
        {
            ulong needed = size + HeaderSize;
            Header* header;
            if (needed <= LargestSmallBlock)
            {
                int sizeClass = ClassFor(needed);
                header = (Header*)PopFree(sizeClass);
                if (header == null) header = (Header*)Carve((ulong)(SmallestClass << sizeClass));
                header->SizeClass = (ulong)sizeClass;
                header->Bytes = (ulong)(SmallestClass << sizeClass);
            }
            else
            {
                ulong bytes = (needed + 15) & ~15UL;
                header = TakeFreeLarge(bytes);
                if (header == null)
                {
                    header = (Header*)Carve(bytes);
                    header->Bytes = bytes;
                }
                header->SizeClass = LargeBlockMarker;
            }

            byte* block = (byte*)header + HeaderSize;
            for (ulong i = 0; i < header->Bytes - HeaderSize; i++) block[i] = 0;
            BytesInUse += header->Bytes;
            if (BytesInUse > PeakBytesInUse) PeakBytesInUse = BytesInUse;
            AllocationCount++;
            return block;
        }

        /// <summary>Gives back a block from <see cref="Allocate"/>. Freeing twice corrupts the heap.</summary>
        public static void Free([Frees] void* block)
        {
            if (block == null) return;
            // Freeing what the heap never gave (a string literal in the image, a stack buffer) would
            // corrupt its lists: stop loudly instead.
            if (!IsHeapAddress(block)) Diagnostics.Panic.Halt("KernelHeap.Free: this memory is not from the heap");
            bool flags = s_lock.Acquire();
            FreeLocked(block);
            s_lock.Release(flags);
        }

        private static void FreeLocked(void* block)
        {
            Header* header = (Header*)((byte*)block - HeaderSize);
            BytesInUse -= header->Bytes;
            FreeCount++;
            if (header->SizeClass == LargeBlockMarker)
            {
                ((FreeBlock*)header)->Next = (FreeBlock*)s_freeLarge;
                s_freeLarge = header;
            }
            else
            {
                PushFree((int)header->SizeClass, (FreeBlock*)header);
            }
        }

        /// <summary>Frees the memory of an object the kernel no longer references anywhere.</summary>
        public static void Free([Frees] object obj)
        {
            // The local `obj` holds the object's address; read it as a plain pointer.
            Free(*(void**)System.Runtime.CompilerServices.Unsafe.AsPointer(ref obj));
        }

        private static int ClassFor(ulong bytes)
        {
            int sizeClass = 0;
            while ((ulong)(SmallestClass << sizeClass) < bytes) sizeClass++;
            return sizeClass;
        }

        private const ulong GrowthBytes = 1024 * 1024;

        private static void* Carve(ulong bytes)
        {
            if (s_areaNext + bytes > s_areaEnd) Grow(bytes);
            void* result = s_areaNext;
            s_areaNext += bytes;
            return result;
        }

        // A new area from physical memory: consecutive frames, used through the direct map.
        private static void Grow(ulong atLeast)
        {
            ulong bytes = atLeast > GrowthBytes ? (atLeast + FrameAllocator.FrameSize - 1) & ~(FrameAllocator.FrameSize - 1) : GrowthBytes;
            ulong physical = FrameAllocator.AllocateContiguous(bytes / FrameAllocator.FrameSize);
            if (physical == 0) Diagnostics.Panic.Halt("kernel heap exhausted: no free run of physical memory");
            AddMemory((byte*)DirectMap.ToVirtual(physical), bytes);
        }

        /// <summary>True for addresses the heap handed out (the bootstrap area or the direct map).</summary>
        private static bool IsHeapAddress(void* block)
        {
            byte* address = (byte*)block;
            if (address >= BootstrapHeap.Start && address < BootstrapHeap.Start + BootstrapHeap.Size) return true;
            return (ulong)address >= DirectMap.Base && (ulong)address < DirectMap.KernelImageBase;
        }

        private static Header* TakeFreeLarge(ulong bytes)
        {
            Header* previous = null;
            for (Header* block = s_freeLarge; block != null; block = (Header*)((FreeBlock*)block)->Next)
            {
                if (block->Bytes >= bytes)
                {
                    Header* next = (Header*)((FreeBlock*)block)->Next;
                    if (previous == null) s_freeLarge = next;
                    else ((FreeBlock*)previous)->Next = (FreeBlock*)next;
                    return block;
                }
                previous = block;
            }
            return null;
        }

        private static ref FreeBlock* FreeList(int sizeClass)
        {
            switch (sizeClass)
            {
                case 0: return ref s_free0;
                case 1: return ref s_free1;
                case 2: return ref s_free2;
                case 3: return ref s_free3;
                case 4: return ref s_free4;
                case 5: return ref s_free5;
                default: return ref s_free6;
            }
        }

        private static void* PopFree(int sizeClass)
        {
            ref FreeBlock* list = ref FreeList(sizeClass);
            FreeBlock* block = list;
            if (block != null) list = block->Next;
            return block;
        }

        private static void PushFree(int sizeClass, FreeBlock* block)
        {
            ref FreeBlock* list = ref FreeList(sizeClass);
            block->Next = list;
            list = block;
        }

        /// <summary>Prints the heap's figures (the `heap` line of the boot banner and of `mem`).</summary>
        public static void PrintUsage()
        {
            Console.Write("heap: ");
            Console.WriteDecimal(BytesInUse);
            Console.Write(" bytes in use (peak ");
            Console.WriteDecimal(PeakBytesInUse);
            Console.Write("), ");
            Console.WriteDecimal(AllocationCount);
            Console.Write(" allocations, ");
            Console.WriteDecimal(FreeCount);
            Console.Write(" frees, ");
            Console.WriteDecimal(BytesReserved / 1024);
            Console.WriteLine(" KiB reserved");
        }
    }
}
