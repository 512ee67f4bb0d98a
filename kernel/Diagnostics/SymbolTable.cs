using Terminal;

namespace Diagnostics
{
    /// <summary>
    /// The kernel's own symbol table, embedded in the image by the build (tools/kernel-symbols.sh reads
    /// the first link's symbols and the second link places them in .kernel_symbols). It turns a code
    /// address into "the method it belongs to", and a MethodTable address into a type name.
    ///
    /// Layout: ulong count; count entries {ulong address; uint nameOffset; uint nameLength} sorted by
    /// address; then the names (ASCII). ilc names a method Assembly_Namespace_Type__Method and a type's
    /// MethodTable _ZTV&lt;length&gt;Assembly_Namespace_Type (C++ vtable mangling).
    /// </summary>
    public static unsafe class SymbolTable
    {
        private struct Entry
        {
            public ulong Address;
            public uint NameOffset;
            public uint NameLength;
        }

        private static ulong Count => *(ulong*)Boot.LinkerSymbols.KernelSymbolsStart();

        private static Entry* Entries => (Entry*)(Boot.LinkerSymbols.KernelSymbolsStart() + sizeof(ulong));

        private static byte* Names => (byte*)(Entries + Count);

        public static bool IsAvailable =>
            Boot.LinkerSymbols.KernelSymbolsEnd() - Boot.LinkerSymbols.KernelSymbolsStart() > sizeof(ulong);

        /// <summary>Finds the symbol at or below <paramref name="address"/>: its index, or -1.</summary>
        public static long Find(ulong address)
        {
            if (!IsAvailable) return -1;
            long low = 0, high = (long)Count - 1, found = -1;
            while (low <= high)
            {
                long middle = (low + high) / 2;
                if (Entries[middle].Address <= address) { found = middle; low = middle + 1; }
                else high = middle - 1;
            }
            return found;
        }

        public static ulong AddressOf(long index) => Entries[index].Address;

        /// <summary>Finds the symbol whose address is exactly <paramref name="address"/>, or -1.</summary>
        public static long FindExact(ulong address)
        {
            long index = Find(address);
            return index >= 0 && Entries[index].Address == address ? index : -1;
        }

        /// <summary>True if the symbol's raw name equals <paramref name="name"/>.</summary>
        public static bool NameEquals(long index, string name)
        {
            Entry entry = Entries[index];
            if (entry.NameLength != name.Length) return false;
            for (int i = 0; i < name.Length; i++)
                if (Names[entry.NameOffset + i] != name[i]) return false;
            return true;
        }

        /// <summary>True if the symbol's raw name starts with <paramref name="prefix"/>.</summary>
        public static bool NameStartsWith(long index, string prefix) =>
            StartsWith(Names + Entries[index].NameOffset, Entries[index].NameLength, prefix);

        /// <summary>Finds a symbol by its raw name (a linear search, for tests and debugging).</summary>
        public static ulong AddressOfName(string name)
        {
            for (long i = 0; i < (long)Count; i++)
                if (NameEquals(i, name)) return Entries[i].Address;
            return 0;
        }

        public static void WriteRawName(long index)
        {
            Entry entry = Entries[index];
            for (uint i = 0; i < entry.NameLength; i++) Console.Write((char)Names[entry.NameOffset + i]);
        }

        /// <summary>
        /// Writes a symbol the way C# spells it: Kernel_Diagnostics_Panic__Report becomes Diagnostics.Panic.Report,
        /// _ZTV47TeachOS_Runtime_System_IndexOutOfRangeException becomes System.IndexOutOfRangeException.
        /// </summary>
        public static void WriteReadableName(long index)
        {
            Entry entry = Entries[index];
            byte* name = Names + entry.NameOffset;
            uint length = entry.NameLength;

            // A MethodTable: skip "_ZTV" and the length digits.
            bool isType = length > 4 && name[0] == '_' && name[1] == 'Z' && name[2] == 'T' && name[3] == 'V';
            if (isType)
            {
                uint skip = 4;
                while (skip < length && name[skip] >= '0' && name[skip] <= '9') skip++;
                name += skip;
                length -= skip;
            }

            // Assembly routines (cpu_halt, trap_return) are printed as they are.
            if (!isType && !Contains(name, length, '_', '_'))
            {
                for (uint i = 0; i < length; i++) Console.Write((char)name[i]);
                return;
            }

            uint start = AssemblyPrefixLength(name, length);
            bool inMethodName = false;
            for (uint i = start; i < length; i++)
            {
                char c = (char)name[i];
                if (!inMethodName && c == '_' && i + 1 < length && name[i + 1] == '_')
                {
                    Console.Write('.');        // "__" separates the type from the method
                    inMethodName = true;
                    i++;
                }
                else if (!inMethodName && c == '_')
                    Console.Write('.');        // "_" separates namespaces and types
                else
                    Console.Write(c);
            }
        }

        private static bool Contains(byte* name, uint length, char first, char second)
        {
            for (uint i = 0; i + 1 < length; i++)
                if (name[i] == first && name[i + 1] == second) return true;
            return false;
        }

        // The assemblies whose names prefix symbols: Kernel_, TeachOS_Runtime_.
        private static uint AssemblyPrefixLength(byte* name, uint length)
        {
            if (StartsWith(name, length, "TeachOS_Runtime_")) return 16;
            if (StartsWith(name, length, "Kernel_")) return 7;
            return 0;
        }

        private static bool StartsWith(byte* name, uint length, string prefix)
        {
            if (length < prefix.Length) return false;
            for (int i = 0; i < prefix.Length; i++)
                if (name[i] != prefix[i]) return false;
            return true;
        }

        /// <summary>Writes "Method+0x1a" for a code address, or just the address if it is unknown.</summary>
        public static void WriteLocation(ulong address)
        {
            long index = Find(address);
            if (index < 0)
            {
                Console.Write($"0x{address:x}");
                return;
            }
            WriteReadableName(index);
            Console.Write($"+0x{address - Entries[index].Address:x}");
        }
    }
}
