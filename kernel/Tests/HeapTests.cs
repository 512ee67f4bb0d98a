using System.Runtime.CompilerServices;
using Mem;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>
    /// The kernel heap: frames go back when blocks are freed, TryAllocate fails instead of stopping the
    /// kernel, and the debugging heap (`debug-heap`, Mem/HeapDebug.cs) catches planted bugs. The planted
    /// bugs end in a panic; tests/Integration/HeapTests.cs checks that each report names the block's
    /// allocation and free backtraces (AllocateNote, FreeNote below).
    /// </summary>
    public static unsafe class HeapTests
    {
        private sealed class Note
        {
            public long Number;
            public Note Next;
        }

        private const int ManyNotes = 150000;     // 40 bytes each: more than the bootstrap area holds

        public static void ReturnsPages()
        {
            KernelHeap.ReturnCachedMemory();
            ulong framesBefore = FrameAllocator.FreeFrames;
            ulong bytesBefore = KernelHeap.BytesInUse;

            // Larger than the whole bootstrap area, which large blocks use first: this one needs frames.
            void* large = KernelHeap.Allocate(2 * BootstrapHeap.Size);
            Check(FrameAllocator.FreeFrames + 2 * BootstrapHeap.Size / FrameAllocator.FrameSize <= framesBefore, "a 16 MiB block takes 4,096 frames");
            KernelHeap.Free(large);

            Note first = null;
            for (int i = 0; i < ManyNotes; i++) first = new Note { Number = i, Next = first };
            Check(FrameAllocator.FreeFrames < framesBefore, "150,000 small blocks take frames");
            while (first != null)
            {
                Note next = first.Next;
                KernelHeap.Free(first);
                first = next;
            }

            KernelHeap.ReturnCachedMemory();
            CheckEqual((long)bytesBefore, (long)KernelHeap.BytesInUse, "bytes in use back where they were");
            CheckEqual((long)framesBefore, (long)FrameAllocator.FreeFrames, "every frame back at the frame allocator");
        }

        public static void TryAllocateFails()
        {
            ulong frames = FrameAllocator.FreeFrames;
            Check(KernelHeap.TryAllocate(frames * FrameAllocator.FrameSize * 2) == null, "more than all memory: null");
            Check(KernelHeap.TryAllocate(1UL << 62) == null, "an absurd size: null");
            KernelHeap.ReturnCachedMemory();
            CheckEqual((long)frames, (long)FrameAllocator.FreeFrames, "a failed allocation keeps no frame");
            void* block = KernelHeap.TryAllocate(100);
            Check(block != null, "a small block still comes");
            KernelHeap.Free(block);
        }

        // ---- Planted bugs: each must end in a debugging-heap report and a panic ----

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Note AllocateNote() => new Note { Number = 7 };

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FreeNote(Note note) => KernelHeap.Free(note);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FreeNoteAgain(Note note) => KernelHeap.Free(note);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long ReadAfterFree(Note note) => note.Number;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void WriteAfterFree(Note note) => note.Number = 42;

        /// <summary>A note on a guarded page (guarded = true) or on an ordinary one.</summary>
        private static Note NoteOnPage(bool guarded)
        {
            for (ulong tries = 0; tries < 4 * GuardedAllocations.SampleInterval; tries++)
            {
                Note note = AllocateNote();
                if (GuardedAllocations.Contains(ObjectAddress(note)) == guarded) return note;
                KernelHeap.Free(note);
            }
            return null;
        }

        private static void* ObjectAddress(object obj) => *(void**)Unsafe.AsPointer(ref obj);

        public static void DoubleFree()
        {
            Check(HeapDebug.Enabled, "boot with debug-heap");
            Note note = NoteOnPage(guarded: false);
            FreeNote(note);
            FreeNoteAgain(note);          // the report stops the kernel here
            Check(false, "a double free went unnoticed");
        }

        public static void UseAfterFree()
        {
            Check(HeapDebug.Enabled, "boot with debug-heap");
            Note note = NoteOnPage(guarded: true);
            Check(note != null, "a note on a guarded page");
            if (note == null) return;
            FreeNote(note);
            long number = ReadAfterFree(note);   // faults: the page is unmapped
            CheckEqual(7, number, "unreachable");
            Check(false, "a use after free went unnoticed");
        }

        public static void WriteAfterFreeInQuarantine()
        {
            Check(HeapDebug.Enabled, "boot with debug-heap");
            Note note = NoteOnPage(guarded: false);
            FreeNote(note);
            WriteAfterFree(note);                // changes the poison; no fault
            KernelHeap.ReturnCachedMemory();     // empties the quarantine, which checks the poison
            Check(false, "a write after free went unnoticed");
        }

        public static void Overflow()
        {
            Check(HeapDebug.Enabled, "boot with debug-heap");
            byte* buffer = (byte*)KernelHeap.Allocate(24);
            buffer[24] = 1;                      // one byte past the end: the red zone
            KernelHeap.Free(buffer);
            Check(false, "an overflow went unnoticed");
        }
    }
}
