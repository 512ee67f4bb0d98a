namespace Arch.X64
{
    /// <summary>
    /// Finds the CPUs through ACPI, the firmware's description of the machine (ACPI 6.x, chapter 5):
    /// the RSDP ("Root System Description Pointer") leads to the RSDT, a list of tables; the MADT
    /// ("APIC" signature) lists every CPU's local APIC and the I/O APIC. Only what TeachOS needs is read.
    /// </summary>
    public static unsafe class Acpi
    {
        public const int MaximumCpus = 16;

        /// <summary>The local APIC ids of the enabled CPUs, the boot CPU's among them.</summary>
        public static byte[] ApicIds = new byte[MaximumCpus];
        public static int CpuCount;
        public static ulong LocalApicPhysical = 0xFEE00000;
        public static ulong IoApicPhysical;
        public static bool Found { get; private set; }

        private const byte MadtLocalApic = 0, MadtIoApic = 1, MadtLocalApicAddressOverride = 5;
        private const uint LocalApicEnabled = 1 << 0, LocalApicOnlineCapable = 1 << 1;

        /// <summary>Reads the tables. <paramref name="rsdtFromBootLoader"/> is the RSDT's physical
        /// address if the boot loader passed one (0 if not: then the RSDP is searched for). False if
        /// there is an RSDP but no valid RSDT: the caller says so and runs on the boot CPU only.</summary>
        public static bool Initialize(ulong rsdtFromBootLoader)
        {
            // The RSDP's revision 0 part holds the 32-bit RSDT address at offset 16 (ACPI 1.0). Later
            // revisions add an XSDT with 64-bit entries; QEMU provides both, and the RSDT is enough here.
            ulong rsdtPhysical = rsdtFromBootLoader;
            if (rsdtPhysical == 0)
            {
                byte* rsdp = FindRsdp();
                if (rsdp == null) return true;
                rsdtPhysical = *(uint*)(rsdp + 16);
            }
            byte* rsdt = (byte*)DirectMap.ToVirtual(rsdtPhysical);
            uint length = *(uint*)(rsdt + 4);
            if (rsdt[0] != 'R' || rsdt[1] != 'S' || rsdt[2] != 'D' || rsdt[3] != 'T' || length > MaximumTableLength)
                return false;
            for (uint entry = 36; entry + 4 <= length; entry += 4)
            {
                byte* table = (byte*)DirectMap.ToVirtual(*(uint*)(rsdt + entry));
                if (table[0] == 'A' && table[1] == 'P' && table[2] == 'I' && table[3] == 'C') ParseMadt(table);
            }
            return true;
        }

        private static void ParseMadt(byte* madt)
        {
            Found = true;
            LocalApicPhysical = *(uint*)(madt + 36);
            uint length = *(uint*)(madt + 4);
            for (byte* entry = madt + 44; entry < madt + length; entry += entry[1])
            {
                if (entry[1] == 0) break;
                switch (entry[0])
                {
                    case MadtLocalApic:
                        uint flags = *(uint*)(entry + 4);
                        if ((flags & (LocalApicEnabled | LocalApicOnlineCapable)) != 0 && CpuCount < MaximumCpus)
                            ApicIds[CpuCount++] = entry[3];
                        break;
                    case MadtIoApic:
                        IoApicPhysical = *(uint*)(entry + 4);
                        break;
                    case MadtLocalApicAddressOverride:
                        LocalApicPhysical = *(ulong*)(entry + 4);
                        break;
                }
            }
        }

        private const uint MaximumTableLength = 64 * 1024;

        // The RSDP, when the boot loader gave no copy (QEMU's -kernel path): found by searching the BIOS area for
        // its signature "RSD PTR " on a 16-byte boundary (the ACPI spec's "finding the RSDP on IA-PC").
        private static byte* FindRsdp()
        {
            ulong ebda = (ulong)*(ushort*)DirectMap.ToVirtual(0x40E) << 4;
            byte* found = Search(ebda, 1024);
            return found != null ? found : Search(0xE0000, 0x20000);
        }

        private static byte* Search(ulong start, ulong length)
        {
            if (start == 0) return null;
            for (ulong at = start; at + 20 <= start + length; at += 16)
            {
                byte* candidate = (byte*)DirectMap.ToVirtual(at);
                if (candidate[0] != 'R' || candidate[1] != 'S' || candidate[2] != 'D' || candidate[3] != ' ' ||
                    candidate[4] != 'P' || candidate[5] != 'T' || candidate[6] != 'R' || candidate[7] != ' ') continue;
                byte sum = 0;
                for (int i = 0; i < 20; i++) sum += candidate[i];       // the first 20 bytes sum to 0
                if (sum == 0) return candidate;
            }
            return null;
        }
    }
}
