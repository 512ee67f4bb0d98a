namespace Arch.X64
{
    /// <summary>Who made this CPU and what it calls itself, from CPUID. Intel SDM vol. 2A, "CPUID".</summary>
    public static unsafe class CpuIdentity
    {
        /// <summary>Leaf 0: the vendor string, 12 ASCII bytes in ebx, edx, ecx ("GenuineIntel").</summary>
        public static string Vendor()
        {
            CpuidResult r = Cpu.Cpuid(0);
            byte* text = stackalloc byte[12];
            *(uint*)text = r.Ebx;
            *(uint*)(text + 4) = r.Edx;
            *(uint*)(text + 8) = r.Ecx;
            return string.FromAscii(text, 12);
        }

        /// <summary>Leaves 0x80000002-4: the brand string, 48 ASCII bytes ("QEMU TCG CPU version 2.5+").</summary>
        public static string Model()
        {
            if (Cpu.Cpuid(0x80000000).Eax < 0x80000004) return "unknown model";
            byte* text = stackalloc byte[49];
            for (uint i = 0; i < 3; i++)
            {
                CpuidResult r = Cpu.Cpuid(0x80000002 + i);
                uint* words = (uint*)(text + 16 * i);
                words[0] = r.Eax; words[1] = r.Ebx; words[2] = r.Ecx; words[3] = r.Edx;
            }
            text[48] = 0;
            return string.FromAscii(text).Trim();
        }
    }
}
