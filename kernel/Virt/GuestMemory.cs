using Arch.X64;
using Mem;

namespace Virt
{
    /// <summary>
    /// A guest's physical memory and the nested page table that makes it (APM vol. 2, 15.25 "Nested
    /// Paging"). The guest sees addresses 0 to Size as its RAM; each 4 KiB of it is a frame the host owns,
    /// wherever that frame is. With nested paging the CPU translates twice: the guest's own page tables
    /// (if it has any) take a guest-virtual address to a guest-physical one, and the table built here,
    /// whose root goes in the VMCB's N_CR3, takes that guest-physical address to a host-physical one. An
    /// address past Size has no entry: the access ends the guest with a nested page fault (#VMEXIT NPF).
    ///
    /// The table has the long-mode format, four levels (PML4, PDPT, PD, PT). Every entry has the User
    /// bit set: the CPU treats each nested-table access as a user access (15.25.5), and would refuse
    /// supervisor-only entries. Guest memory of at most 64 MiB needs one PML4, one PDPT, one PD and one PT
    /// per 2 MiB.
    /// </summary>
    public sealed unsafe class GuestMemory
    {
        private const ulong Present = 1ul << 0;
        private const ulong Writable = 1ul << 1;
        private const ulong User = 1ul << 2;
        private const ulong EntryFlags = Present | Writable | User;
        private const ulong PageSize = FrameAllocator.FrameSize;
        private const ulong BytesPerTable = 512 * PageSize;    // what one page table (PT) maps: 2 MiB

        public readonly ulong Size;                 // bytes of guest-physical memory
        public ulong NestedRoot { get; private set; }   // the PML4's physical address: N_CR3
        private readonly ulong[] _frames;           // guest page i lives in host frame _frames[i]
        private readonly ulong[] _tables;           // PML4, PDPT, PD, then the PTs
        private int _tableCount;

        /// <summary>Frames this memory holds: the guest's pages and the nested tables.</summary>
        public ulong FrameCount => (ulong)_frames.Length + (ulong)_tables.Length;

        private GuestMemory(ulong size)
        {
            Size = size;
            _frames = new ulong[size / PageSize];
            _tables = new ulong[3 + (size + BytesPerTable - 1) / BytesPerTable];
        }

        /// <summary>Zeroed guest memory of <paramref name="size"/> bytes (a multiple of 2 MiB), or null when the frames are not there.</summary>
        public static GuestMemory TryCreate(ulong size)
        {
            var memory = new GuestMemory(size);
            if (!MemoryBudget.CanAllocateUserFrames(memory.FrameCount) || !memory.Build())
            {
                memory.Free();
                return null;
            }
            return memory;
        }

        private bool Build()
        {
            for (int i = 0; i < _tables.Length; i++)
            {
                ulong table = FrameAllocator.TryAllocate();      // zeroed: no entry is present yet
                if (table == 0) return false;
                _tables[_tableCount++] = table;
            }
            NestedRoot = _tables[0];
            Entries(_tables[0])[0] = _tables[1] | EntryFlags;          // PML4[0] -> PDPT: guest 0 to 512 GiB
            Entries(_tables[1])[0] = _tables[2] | EntryFlags;          // PDPT[0] -> PD: guest 0 to 1 GiB
            for (int t = 3; t < _tables.Length; t++)
                Entries(_tables[2])[t - 3] = _tables[t] | EntryFlags;  // PD[i] -> PT: guest 2 MiB * i onwards
            for (int page = 0; page < _frames.Length; page++)
            {
                ulong frame = FrameAllocator.TryAllocate();
                if (frame == 0) return false;
                _frames[page] = frame;
                Entries(_tables[3 + page / 512])[page % 512] = frame | EntryFlags;
            }
            return true;
        }

        private static ulong* Entries(ulong tablePhysical) => (ulong*)DirectMap.ToVirtual(tablePhysical);

        /// <summary>The host's view (through the direct map) of the guest-physical page holding <paramref name="guestAddress"/>.</summary>
        public byte* HostPointer(ulong guestAddress)
            => (byte*)DirectMap.ToVirtual(_frames[guestAddress / PageSize]) + guestAddress % PageSize;

        /// <summary>Gives every frame back, and the lists of them (the guest must not be running; once).</summary>
        public void Free()
        {
            for (int i = 0; i < _frames.Length; i++)
                if (_frames[i] != 0) { FrameAllocator.Free(_frames[i]); _frames[i] = 0; }
            for (int i = 0; i < _tableCount; i++) FrameAllocator.Free(_tables[i]);
            _tableCount = 0;
            NestedRoot = 0;
            KernelHeap.Free(_frames);
            KernelHeap.Free(_tables);
        }
    }
}
