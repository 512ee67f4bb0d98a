using Mem;

namespace Proc
{
    /// <summary>
    /// A process's mappings (mmap, Proc/MemoryMappings.cs): page-aligned ranges of its address space,
    /// sorted by address and never overlapping, each readable and perhaps writable. A range here has no
    /// frames of its own: its pages are lazy, mapped on first touch (Proc/UserPageFaults.cs asks
    /// <see cref="Find"/>). The list is a fixed array, so that it changes under the address space's
    /// spin lock without allocating, and a process has at most <see cref="Capacity"/> mappings
    /// (Linux's vm.max_map_count is the same kind of limit); fork copies it, exec empties it, and it is
    /// freed with the process.
    /// </summary>
    public sealed class MemoryRegions
    {
        public const int Capacity = 64;

        public struct Region
        {
            public ulong Start;     // first byte, page-aligned
            public ulong End;       // first byte past it, page-aligned
            public bool Writable;
        }

        private readonly Region[] _regions = new Region[Capacity];

        public int Count { get; private set; }

        public Region At(int index) => _regions[index];

        /// <summary>The region holding <paramref name="address"/>, if there is one.</summary>
        public bool Find(ulong address, out Region region)
        {
            for (int i = 0; i < Count; i++)
            {
                if (address < _regions[i].Start) break;
                if (address < _regions[i].End) { region = _regions[i]; return true; }
            }
            region = default;
            return false;
        }

        /// <summary>The lowest page-aligned start in [low, high) where <paramref name="length"/> bytes overlap no region; 0 if none.</summary>
        public ulong FindGap(ulong length, ulong low, ulong high)
        {
            ulong candidate = low;
            for (int i = 0; i < Count; i++)
            {
                if (_regions[i].End <= candidate) continue;
                if (_regions[i].Start >= candidate && _regions[i].Start - candidate >= length) break;
                candidate = _regions[i].End;
            }
            return candidate <= high && high - candidate >= length ? candidate : 0;
        }

        /// <summary>Adds a region that overlaps none; false if the list is full.</summary>
        public bool TryAdd(ulong start, ulong end, bool writable)
        {
            if (Count == Capacity) return false;
            int at = 0;
            while (at < Count && _regions[at].Start < start) at++;
            for (int i = Count; i > at; i--) _regions[i] = _regions[i - 1];
            _regions[at] = new Region { Start = start, End = end, Writable = writable };
            Count++;
            return true;
        }

        /// <summary>Would removing [start, end) cut a region in two when the list is full (which <see cref="Remove"/> cannot)?</summary>
        public bool RemoveNeedsRoom(ulong start, ulong end)
        {
            if (Count < Capacity) return false;
            for (int i = 0; i < Count; i++)
                if (_regions[i].Start < start && _regions[i].End > end) return true;
            return false;
        }

        /// <summary>
        /// Takes [start, end) out of every region it touches: a region inside it goes, one it covers an
        /// end of is trimmed, one it falls inside of is split in two (the caller checked there is room).
        /// </summary>
        public void Remove(ulong start, ulong end)
        {
            for (int i = 0; i < Count; i++)
            {
                Region region = _regions[i];
                if (region.End <= start || region.Start >= end) continue;
                if (region.Start < start && region.End > end)
                {
                    _regions[i].End = start;
                    TryAdd(end, region.End, region.Writable);
                    return;
                }
                if (region.Start < start) _regions[i].End = start;
                else if (region.End > end) _regions[i].Start = end;
                else
                {
                    for (int j = i; j < Count - 1; j++) _regions[j] = _regions[j + 1];
                    Count--;
                    i--;
                }
            }
        }

        /// <summary>Pages in all regions with no frame mapped in <paramref name="space"/> (lock held).</summary>
        public ulong CountUnmappedPages(AddressSpace space)
        {
            ulong count = 0;
            for (int i = 0; i < Count; i++) count += space.CountUnmappedPages(_regions[i].Start, _regions[i].End);
            return count;
        }

        /// <summary>Makes this list a copy of <paramref name="other"/> (fork).</summary>
        public void CopyFrom(MemoryRegions other)
        {
            for (int i = 0; i < other.Count; i++) _regions[i] = other._regions[i];
            Count = other.Count;
        }

        /// <summary>Forgets every region (exec: the pages went with the old address space).</summary>
        public void Clear() => Count = 0;

        /// <summary>Gives the list's memory back to the kernel heap (the process is being freed).</summary>
        public void Free()
        {
            KernelHeap.Free(_regions);
            KernelHeap.Free(this);
        }
    }
}
