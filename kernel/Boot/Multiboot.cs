using Arch.X64;

namespace Boot
{
    /// <summary>
    /// Reads the boot loader's information block into <see cref="BootInfo"/>. GRUB speaks Multiboot 2
    /// (a list of tags); QEMU's -kernel speaks Multiboot 1 (a fixed structure with flags).
    /// Specs: Multiboot 0.6.96 section 3.3; Multiboot2 1.6 section 3.6.
    /// </summary>
    public static unsafe class Multiboot
    {
        public const uint Version1Magic = 0x2BADB002;
        public const uint Version2Magic = 0x36D76289;

        public static void Parse(uint magic, ulong infoPhysical)
        {
            byte* info = (byte*)DirectMap.ToVirtual(infoPhysical);
            if (magic == Version2Magic) ParseVersion2(info);
            else ParseVersion1(info);
            CommandLine.Set(BootInfo.CommandLine);
        }

        // Multiboot 1: a flags word says which of the fixed fields are valid.
        private const uint Mb1HasCommandLine = 1 << 2;
        private const uint Mb1HasModules = 1 << 3;
        private const uint Mb1HasMemoryMap = 1 << 6;
        private const uint Mb1HasLoaderName = 1 << 9;

        private static void ParseVersion1(byte* info)
        {
            BootInfo.MultibootVersion = 1;
            uint flags = *(uint*)info;
            if ((flags & Mb1HasCommandLine) != 0) BootInfo.CommandLine = AsciiAt(*(uint*)(info + 16));
            if ((flags & Mb1HasLoaderName) != 0) BootInfo.LoaderName = AsciiAt(*(uint*)(info + 64));
            if ((flags & Mb1HasModules) != 0)
            {
                uint count = *(uint*)(info + 20);
                uint* module = (uint*)DirectMap.ToVirtual(*(uint*)(info + 24));
                for (uint i = 0; i < count; i++, module += 4)   // start, end, string, reserved
                    BootInfo.AddModule(module[0], module[1], AsciiAt(module[2]));
            }
            if ((flags & Mb1HasMemoryMap) != 0)
            {
                uint length = *(uint*)(info + 44);
                byte* entry = (byte*)DirectMap.ToVirtual(*(uint*)(info + 48));
                byte* end = entry + length;
                while (entry < end)
                {
                    // Each entry: uint size (not counting itself), ulong base, ulong length, uint type.
                    uint size = *(uint*)entry;
                    BootInfo.AddRegion(*(ulong*)(entry + 4), *(ulong*)(entry + 12), *(uint*)(entry + 20) == 1);
                    entry += size + 4;
                }
            }
        }

        // Multiboot 2: after 8 bytes (total size, reserved), tags of {uint type, uint size, data},
        // each starting on an 8-byte boundary, until a tag of type 0.
        private const uint TagEnd = 0;
        private const uint TagCommandLine = 1;
        private const uint TagLoaderName = 2;
        private const uint TagModule = 3;
        private const uint TagMemoryMap = 6;
        private const uint TagAcpiOld = 14;          // a copy of the ACPI 1.0 RSDP
        private const uint TagAcpiNew = 15;          // a copy of the ACPI 2.0+ RSDP

        private static void ParseVersion2(byte* info)
        {
            BootInfo.MultibootVersion = 2;
            byte* tag = info + 8;
            while (true)
            {
                uint type = *(uint*)tag;
                uint size = *(uint*)(tag + 4);
                if (type == TagEnd) break;
                if (type == TagCommandLine) BootInfo.CommandLine = string.FromAscii(tag + 8);
                else if (type == TagLoaderName) BootInfo.LoaderName = string.FromAscii(tag + 8);
                else if (type == TagModule) BootInfo.AddModule(*(uint*)(tag + 8), *(uint*)(tag + 12), string.FromAscii(tag + 16));
                else if (type == TagMemoryMap) ParseVersion2MemoryMap(tag, size);
                else if ((type == TagAcpiOld || type == TagAcpiNew) && BootInfo.RsdtPhysical == 0)
                    BootInfo.RsdtPhysical = *(uint*)(tag + 8 + 16);     // the RSDP copy's RSDT address
                tag += (size + 7) & ~7u;
            }
        }

        private static void ParseVersion2MemoryMap(byte* tag, uint size)
        {
            uint entrySize = *(uint*)(tag + 8);
            for (byte* entry = tag + 16; entry < tag + size; entry += entrySize)
                BootInfo.AddRegion(*(ulong*)entry, *(ulong*)(entry + 8), *(uint*)(entry + 16) == 1);
        }

        private static string AsciiAt(uint physical) =>
            physical == 0 ? "" : string.FromAscii((byte*)DirectMap.ToVirtual(physical));
    }
}
