using System;
using Mem;

namespace Loader
{
    /// <summary>
    /// Reads and checks an ELF64 executable (the format ld writes for every user program): the header,
    /// and the program headers that say which bytes of the file go where in memory. The file is
    /// anyone's (a student can write any bytes to /tmp and spawn them), so every field is hostile until
    /// checked: each offset and size goes through Mem/Bounds.cs (a sum like offset + size can wrap
    /// around 2^64 and pass a naive check), counts have limits, and the segments must make sense
    /// together before a single page is mapped. A program that fails gets a reason, never an exception.
    ///
    /// Parsing allocates nothing (the result is a struct with room for <see cref="MaximumSegments"/>
    /// segments), so no error path has anything to free. ElfSymbols.cs reads the symbol table.
    /// Pure logic, tested on the host (tests/Host/ElfTests.cs). Spec: the System V ABI, chapter 4
    /// ("Object Files") and 5 ("Program Loading"), and its x86-64 supplement.
    /// </summary>
    public unsafe struct Elf
    {
        public const uint ProgramHeaderLoad = 1;          // PT_LOAD: a segment to place in memory
        public const uint ProgramHeaderInterpreter = 3;   // PT_INTERP: wants a dynamic linker
        public const uint SegmentExecutable = 1;          // p_flags bits
        public const uint SegmentWritable = 2;
        public const uint SegmentReadable = 4;

        /// <summary>Limits that keep a hostile header's loops and allocations small.</summary>
        public const int MaximumProgramHeaders = 64;      // ld writes 6 for a TeachOS program
        public const int MaximumSegments = 16;            // PT_LOAD entries; ld writes 3
        /// <summary>
        /// The most memory a program's segments may ask for (code, data and bss together; the heap
        /// grows later with sbrk). The largest TeachOS program needs 60 KiB. A bigger request is a
        /// malformed or hostile file, refused with ENOEXEC before a single frame is taken (the
        /// error a file's contents earn; ENOMEM is for memory that is really short).
        /// </summary>
        public const ulong MaximumImageBytes = 16 * 1024 * 1024;

        public const ulong PageSize = 4096;
        public const int HeaderSize = 64;                 // Elf64_Ehdr
        public const int ProgramHeaderSize = 56;          // Elf64_Phdr
        private const ushort MachineX8664 = 62;           // EM_X86_64
        private const ushort TypeExecutable = 2;          // ET_EXEC

        /// <summary>One PT_LOAD segment: FileSize bytes from FileOffset, at VirtualAddress, zero-filled to MemorySize.</summary>
        public struct Segment
        {
            public ulong VirtualAddress;
            public ulong FileOffset;
            public ulong FileSize;
            public ulong MemorySize;
            public uint Flags;
            public ulong Alignment;

            public bool Writable => (Flags & SegmentWritable) != 0;
            public bool Executable => (Flags & SegmentExecutable) != 0;
            public ulong End => VirtualAddress + MemorySize;                   // checked not to wrap
            public ulong FirstPage => VirtualAddress & ~(PageSize - 1);
            public ulong EndPage => (End + PageSize - 1) & ~(PageSize - 1);    // End is below user space's top
        }

        public ulong Entry;
        /// <summary>The end of the highest segment: where the program's heap can begin.</summary>
        public ulong HighestAddress;
        public int SegmentCount;

        private fixed ulong _addresses[MaximumSegments];
        private fixed ulong _offsets[MaximumSegments];
        private fixed ulong _fileSizes[MaximumSegments];
        private fixed ulong _memorySizes[MaximumSegments];
        private fixed uint _flags[MaximumSegments];

        public Segment SegmentAt(int index) => new Segment
        {
            VirtualAddress = _addresses[index],
            FileOffset = _offsets[index],
            FileSize = _fileSizes[index],
            MemorySize = _memorySizes[index],
            Flags = _flags[index],
        };

        /// <summary>
        /// Reads <paramref name="file"/>'s headers and checks that it is a program TeachOS can run with
        /// its segments in [<paramref name="lowestAddress"/>, <paramref name="highestAddress"/>). Returns
        /// false and a reason (a literal: nothing to free) if it is not.
        /// </summary>
        public static bool TryParse(IProgramFile file, ulong lowestAddress, ulong highestAddress, out Elf elf, out string reason)
        {
            elf = default;
            reason = ReadHeader(file, ref elf, out ulong tableAt, out ulong entrySize, out int count);
            if (reason != null) return false;

            Span<byte> entry = stackalloc byte[ProgramHeaderSize];
            ulong imageBytes = 0;
            for (int i = 0; i < count; i++)
            {
                // In the file: checked for the whole table in ReadHeader, so this cannot wrap.
                if (!file.ReadAt(tableAt + (ulong)i * entrySize, entry)) return Refuse("the file changed while it was read", out reason);
                uint type = U32(entry, 0);
                if (type == ProgramHeaderInterpreter) return Refuse("it asks for a dynamic linker (PT_INTERP); TeachOS runs static programs", out reason);
                if (type != ProgramHeaderLoad) continue;
                var segment = new Segment
                {
                    Flags = U32(entry, 4),
                    FileOffset = U64(entry, 8),
                    VirtualAddress = U64(entry, 16),
                    FileSize = U64(entry, 32),
                    MemorySize = U64(entry, 40),
                    Alignment = U64(entry, 48),
                };
                reason = CheckSegment(segment, file.Length, lowestAddress, highestAddress);
                if (reason != null) return false;
                if (segment.MemorySize == 0) continue;               // occupies nothing: nothing to load
                if (elf.SegmentCount == MaximumSegments) return Refuse("too many loadable segments", out reason);
                if (elf.OverlapsAny(segment)) return Refuse("two segments share a page", out reason);
                // Both terms are below 2^47 (inside user space), so the sum cannot wrap; Bounds says so anyway.
                if (!Bounds.TryAdd(imageBytes, segment.EndPage - segment.FirstPage, out imageBytes) || imageBytes > MaximumImageBytes)
                    return Refuse("its segments need more memory than a program may have (16 MiB)", out reason);
                elf.Add(segment);
            }
            if (elf.SegmentCount == 0) return Refuse("it has no loadable segments", out reason);
            if (!elf.EntryIsExecutable()) return Refuse("its entry point is not in an executable segment", out reason);
            return true;
        }

        // The ELF header (Elf64_Ehdr): identity, type, machine, entry, where the program headers are.
        private static string ReadHeader(IProgramFile file, ref Elf elf, out ulong tableAt, out ulong entrySize, out int count)
        {
            tableAt = entrySize = 0;
            count = 0;
            Span<byte> header = stackalloc byte[HeaderSize];
            if (file.Length < HeaderSize || !file.ReadAt(0, header)) return "it is shorter than an ELF header";
            if (!HasElfIdentity(header)) return "not an ELF file";
            if (header[4] != 2 || header[5] != 1) return "not a 64-bit little-endian ELF";   // ELFCLASS64, ELFDATA2LSB
            if (U16(header, 16) != TypeExecutable) return "not an executable (ET_EXEC)";
            if (U16(header, 18) != MachineX8664) return "not an x86-64 program";

            elf.Entry = U64(header, 24);
            tableAt = U64(header, 32);
            entrySize = U16(header, 54);
            count = U16(header, 56);
            if (count == 0) return "it has no program headers";
            if (count > MaximumProgramHeaders) return "too many program headers";
            if (entrySize < ProgramHeaderSize) return "its program headers are too small";
            if (!Bounds.TryMultiply(entrySize, (ulong)count, out ulong tableBytes) || !Bounds.Fits(tableAt, tableBytes, file.Length))
                return "its program headers lie outside the file";
            return null;
        }

        // One PT_LOAD entry on its own; the checks against the other segments follow in TryParse.
        private static string CheckSegment(Segment segment, ulong fileLength, ulong lowestAddress, ulong highestAddress)
        {
            if (segment.FileSize > segment.MemorySize) return "a segment has more bytes in the file than in memory";
            if (!Bounds.Fits(segment.FileOffset, segment.FileSize, fileLength)) return "a segment lies outside the file";
            if (segment.MemorySize == 0) return null;
            if (!Bounds.Within(segment.VirtualAddress, segment.MemorySize, lowestAddress, highestAddress))
                return "a segment lies outside the program's part of user space";
            // W^X: memory a program can both write and run is what an attacker who finds one overflow
            // needs to run code of their own. Code is read-only, data is not executable.
            if (segment.Writable && segment.Executable) return "a segment is both writable and executable";
            // p_align: 0 or 1 means none; otherwise a power of two, with the address and the file
            // offset congruent modulo it (System V ABI, "Program Header").
            ulong alignment = segment.Alignment;
            if (alignment > 1 && (alignment & (alignment - 1)) != 0) return "a segment's alignment is not a power of two";
            if (alignment > 1 && segment.VirtualAddress % alignment != segment.FileOffset % alignment)
                return "a segment's address and file offset disagree with its alignment";
            return null;
        }

        // Each page gets one segment's permissions: two segments in one page (a writable one and an
        // executable one, say) would need both.
        private bool OverlapsAny(Segment segment)
        {
            for (int i = 0; i < SegmentCount; i++)
            {
                Segment other = SegmentAt(i);
                if (segment.FirstPage < other.EndPage && other.FirstPage < segment.EndPage) return true;
            }
            return false;
        }

        // The first instruction must be one the program may run: an entry at 0x800000000000 (the first
        // non-canonical address) would fault in ring 0 on the return to user mode on real hardware.
        private bool EntryIsExecutable()
        {
            for (int i = 0; i < SegmentCount; i++)
            {
                Segment segment = SegmentAt(i);
                if (segment.Executable && Bounds.Within(Entry, 1, segment.VirtualAddress, segment.End)) return true;
            }
            return false;
        }

        private void Add(Segment segment)
        {
            _addresses[SegmentCount] = segment.VirtualAddress;
            _offsets[SegmentCount] = segment.FileOffset;
            _fileSizes[SegmentCount] = segment.FileSize;
            _memorySizes[SegmentCount] = segment.MemorySize;
            _flags[SegmentCount] = segment.Flags;
            SegmentCount++;
            if (segment.End > HighestAddress) HighestAddress = segment.End;
        }

        private static bool Refuse(string why, out string reason)
        {
            reason = why;
            return false;
        }

        internal static bool HasElfIdentity(ReadOnlySpan<byte> header) =>
            header[0] == 0x7F && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F';

        // Little-endian fields (ELFDATA2LSB) at a byte offset in a header already read into memory.
        internal static ushort U16(ReadOnlySpan<byte> bytes, int at) => (ushort)(bytes[at] | bytes[at + 1] << 8);

        internal static uint U32(ReadOnlySpan<byte> bytes, int at) => (uint)(U16(bytes, at) | U16(bytes, at + 2) << 16);

        internal static ulong U64(ReadOnlySpan<byte> bytes, int at) => U32(bytes, at) | (ulong)U32(bytes, at + 4) << 32;
    }
}
