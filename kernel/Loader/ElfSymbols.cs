using System;
using Mem;

namespace Loader
{
    /// <summary>
    /// Names a code address of a user program from its file's symbol table (.symtab), for the report
    /// of a fault that kills it. The report runs when the program has just crashed, so the file may be
    /// anything a student wrote; this reads it from the file system on demand, a section header or a
    /// symbol at a time, with every offset checked (Mem/Bounds.cs) and every loop limited. It allocates
    /// nothing: the name is copied into the caller's buffer, cut at its length.
    /// Pure logic, tested on the host. Spec: System V ABI, chapter 4, "Sections" and "Symbol Table".
    /// </summary>
    public static class ElfSymbols
    {
        public const int MaximumSections = 1024;          // ld writes about 20
        public const int MaximumSymbols = 65536;          // per table; usertests has about 1,500

        private const int SectionHeaderSize = 64;         // Elf64_Shdr
        private const int SymbolSize = 24;                // Elf64_Sym
        private const uint SectionSymbolTable = 2;        // SHT_SYMTAB
        private const byte SymbolTypeNone = 0;            // STT_NOTYPE: assembly labels
        private const byte SymbolTypeFunction = 2;        // STT_FUNC

        /// <summary>
        /// Finds the function containing <paramref name="address"/>: copies its name (up to
        /// <paramref name="name"/>.Length bytes) and the offset into it. False if the file has no usable
        /// symbol for it (no symbol table, a broken one, or no function there).
        /// </summary>
        public static bool FunctionAt(IProgramFile file, ulong address, Span<byte> name, out int nameLength, out ulong offset)
        {
            nameLength = 0;
            offset = 0;
            Span<byte> header = stackalloc byte[Elf.HeaderSize];
            if (file.Length < Elf.HeaderSize || !file.ReadAt(0, header) || !Elf.HasElfIdentity(header)) return false;
            ulong sectionsAt = Elf.U64(header, 40);
            ulong entrySize = Elf.U16(header, 58);
            int count = Elf.U16(header, 60);
            if (sectionsAt == 0 || entrySize < SectionHeaderSize || count > MaximumSections) return false;
            if (!Bounds.TryMultiply(entrySize, (ulong)count, out ulong tableBytes) || !Bounds.Fits(sectionsAt, tableBytes, file.Length)) return false;

            var best = new Match();
            Span<byte> section = stackalloc byte[SectionHeaderSize];
            Span<byte> strings = stackalloc byte[SectionHeaderSize];
            for (int s = 0; s < count; s++)
            {
                if (!file.ReadAt(sectionsAt + (ulong)s * entrySize, section)) return false;
                if (Elf.U32(section, 4) != SectionSymbolTable) continue;
                // sh_link of a symbol table names its string table section.
                uint link = Elf.U32(section, 40);
                if (link >= (uint)count) continue;
                if (!file.ReadAt(sectionsAt + link * entrySize, strings)) return false;
                var table = new SymbolTable
                {
                    At = Elf.U64(section, 24),
                    Size = Elf.U64(section, 32),
                    EntrySize = Elf.U64(section, 56),
                    StringsAt = Elf.U64(strings, 24),
                    StringsSize = Elf.U64(strings, 32),
                };
                Search(file, table, address, ref best);
            }
            if (!best.Found) return false;
            offset = address - best.Start;
            nameLength = ReadName(file, best.NameAt, best.NameRoom, name);
            return true;
        }

        private struct SymbolTable
        {
            public ulong At, Size, EntrySize, StringsAt, StringsSize;
        }

        private struct Match
        {
            public bool Found;
            public ulong Start;
            public ulong NameAt;      // file offset of the name
            public ulong NameRoom;    // bytes from there to the end of the string table
        }

        // The closest symbol at or below the address that contains it: functions (C#) have a size;
        // untyped labels (assembly routines) have none and contain everything after them.
        private static void Search(IProgramFile file, SymbolTable table, ulong address, ref Match best)
        {
            ulong fileLength = file.Length;
            if (table.EntrySize < SymbolSize || !Bounds.Fits(table.At, table.Size, fileLength)) return;
            if (!Bounds.Fits(table.StringsAt, table.StringsSize, fileLength)) return;
            ulong symbols = table.Size / table.EntrySize;
            if (symbols > MaximumSymbols) symbols = MaximumSymbols;

            Span<byte> symbol = stackalloc byte[SymbolSize];
            for (ulong i = 0; i < symbols; i++)
            {
                if (!file.ReadAt(table.At + i * table.EntrySize, symbol)) return;   // inside the table: checked above
                int type = symbol[4] & 0xF;
                if (type != SymbolTypeFunction && type != SymbolTypeNone) continue;
                ulong start = Elf.U64(symbol, 8), size = Elf.U64(symbol, 16);
                uint nameIndex = Elf.U32(symbol, 0);
                if (start == 0 || address < start || (size != 0 && address - start >= size)) continue;
                if (best.Found && start < best.Start) continue;
                if (nameIndex >= table.StringsSize) continue;                        // a name outside its table
                best.Found = true;
                best.Start = start;
                best.NameAt = table.StringsAt + nameIndex;
                best.NameRoom = table.StringsSize - nameIndex;
            }
        }

        // The name up to its terminating zero, the end of its string table, or the end of the buffer.
        private static int ReadName(IProgramFile file, ulong at, ulong room, Span<byte> name)
        {
            int length = room < (ulong)name.Length ? (int)room : name.Length;
            if (!file.ReadAt(at, name.Slice(0, length))) return 0;
            for (int i = 0; i < length; i++)
                if (name[i] == 0) return i;
            return length;
        }
    }
}
