using System;
using Mem;

namespace Loader
{
    /// <summary>
    /// Reads an ELF64 executable (the format ld writes for every user program): the header, the
    /// program headers that say which bytes go where in memory, and the symbol table, for naming code
    /// addresses in fault reports. It only reads the file's bytes; ProgramLoader does the mapping.
    /// Pure logic, tested on the host against real programs. Spec: the System V ABI, chapter 4.
    /// </summary>
    public sealed class Elf
    {
        public const uint ProgramHeaderLoad = 1;      // PT_LOAD: a segment to place in memory
        public const uint SegmentExecutable = 1;      // p_flags bits
        public const uint SegmentWritable = 2;
        public const uint SegmentReadable = 4;

        private const ushort MachineX8664 = 62;
        private const ushort TypeExecutable = 2;
        private const uint SectionSymbolTable = 2;    // SHT_SYMTAB
        private const byte SymbolTypeNone = 0;
        private const byte SymbolTypeFunction = 2;

        private readonly byte[] _file;

        public ulong Entry { get; private set; }
        public Segment[] Segments { get; private set; }

        /// <summary>One PT_LOAD segment: FileSize bytes from FileOffset, at VirtualAddress, zero-filled to MemorySize.</summary>
        public struct Segment
        {
            public ulong VirtualAddress;
            public ulong FileOffset;
            public ulong FileSize;
            public ulong MemorySize;
            public uint Flags;

            public bool Writable => (Flags & SegmentWritable) != 0;
            public bool Executable => (Flags & SegmentExecutable) != 0;
        }

        private Elf(byte[] file) => _file = file;

        /// <summary>Parses <paramref name="file"/>; returns null and a reason if it is not a program TeachOS can run.</summary>
        public static Elf Parse(byte[] file, out string error)
        {
            error = null;
            if (file.Length < 64 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
            {
                error = "not an ELF file";
                return null;
            }
            if (file[4] != 2 || file[5] != 1) { error = "not a 64-bit little-endian ELF"; return null; }
            var elf = new Elf(file);
            if (elf.U16(16) != TypeExecutable) { error = "not an executable (ET_EXEC)"; return null; }
            if (elf.U16(18) != MachineX8664) { error = "not an x86-64 program"; return null; }

            elf.Entry = elf.U64(24);
            ulong headerOffset = elf.U64(32);
            ushort headerSize = elf.U16(54), headerCount = elf.U16(56);
            if (headerSize < 56 || headerOffset + (ulong)headerSize * headerCount > (ulong)file.Length)
            {
                error = "program headers out of bounds";
                return null;
            }

            int loadCount = 0;
            for (int i = 0; i < headerCount; i++)
                if (elf.U32((int)headerOffset + i * headerSize) == ProgramHeaderLoad) loadCount++;
            elf.Segments = new Segment[loadCount];
            int next = 0;
            for (int i = 0; i < headerCount; i++)
            {
                int at = (int)headerOffset + i * headerSize;
                if (elf.U32(at) != ProgramHeaderLoad) continue;
                var segment = new Segment
                {
                    Flags = elf.U32(at + 4),
                    FileOffset = elf.U64(at + 8),
                    VirtualAddress = elf.U64(at + 16),
                    FileSize = elf.U64(at + 32),
                    MemorySize = elf.U64(at + 40),
                };
                if (segment.FileOffset + segment.FileSize > (ulong)file.Length || segment.FileSize > segment.MemorySize)
                {
                    error = "a segment lies outside the file";
                    return null;
                }
                elf.Segments[next++] = segment;
            }
            return elf;
        }

        /// <summary>The end of the highest segment: where the program's heap can begin.</summary>
        public ulong HighestAddress
        {
            get
            {
                ulong highest = 0;
                foreach (Segment segment in Segments)
                    if (segment.VirtualAddress + segment.MemorySize > highest) highest = segment.VirtualAddress + segment.MemorySize;
                return highest;
            }
        }

        public ReadOnlySpan<byte> Bytes(ulong offset, ulong length) => new ReadOnlySpan<byte>(_file, (int)offset, (int)length);

        /// <summary>
        /// Finds the function containing <paramref name="address"/> in the symbol table (.symtab).
        /// Returns its name (a new string, for the caller to free) and the offset into it, or null when
        /// the file has no symbol for it.
        /// </summary>
        public string FunctionAt(ulong address, out ulong offset)
        {
            offset = 0;
            ulong sectionOffset = U64(40);
            ushort sectionSize = U16(58), sectionCount = U16(60);
            if (sectionOffset == 0 || sectionSize < 64 || sectionOffset + (ulong)sectionSize * sectionCount > (ulong)_file.Length) return null;

            ulong bestName = 0, bestStart = 0;
            for (int s = 0; s < sectionCount; s++)
            {
                int header = (int)sectionOffset + s * sectionSize;
                if (U32(header + 4) != SectionSymbolTable) continue;
                ulong symbolsAt = U64(header + 24), symbolsSize = U64(header + 32), entrySize = U64(header + 56);
                int stringSection = (int)U32(header + 40);
                ulong stringsAt = U64((int)sectionOffset + stringSection * sectionSize + 24);
                if (entrySize < 24 || symbolsAt + symbolsSize > (ulong)_file.Length) continue;

                for (ulong symbol = symbolsAt; symbol + 24 <= symbolsAt + symbolsSize; symbol += entrySize)
                {
                    // Functions (C#) and untyped labels (assembly routines, which have no size).
                    int type = _file[symbol + 4] & 0xF;
                    if (type != SymbolTypeFunction && type != SymbolTypeNone) continue;
                    ulong start = U64((int)symbol + 8), size = U64((int)symbol + 16);
                    if (start == 0 || address < start || (size != 0 && address >= start + size) || start < bestStart) continue;
                    bestStart = start;
                    bestName = stringsAt + U32((int)symbol);
                }
            }
            if (bestStart == 0) return null;
            offset = address - bestStart;
            return CString(bestName);       // made once, for the best match only: the caller frees it
        }

        private string CString(ulong at)
        {
            int length = 0;
            while (at + (ulong)length < (ulong)_file.Length && _file[at + (ulong)length] != 0) length++;
            char[] text = new char[length];
            for (int i = 0; i < length; i++) text[i] = (char)_file[at + (ulong)i];
            string result = string.Copy(text);      // the caller frees it: a copy even when empty
            KernelHeap.Free(text);
            return result;
        }

        private ushort U16(int at) => (ushort)(_file[at] | _file[at + 1] << 8);

        private uint U32(int at) => (uint)(U16(at) | U16(at + 2) << 16);

        private ulong U64(int at) => U32(at) | (ulong)U32(at + 4) << 32;
    }
}
