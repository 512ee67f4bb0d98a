using Arch.X64;

namespace Sched
{
    /// <summary>
    /// Where a logical CPU sits, from CPUID leaf 0xB ("extended topology", Intel SDM vol. 2A, CPUID;
    /// vol. 3A, 9.9.1). The CPU's x2APIC id is a bit field: the low bits number the hyper-threads of a
    /// core (SMT), the next bits the cores of a package, the rest the package. Leaf 0xB says how many
    /// bits each level takes. Each CPU runs this for itself.
    /// </summary>
    public static class Topology
    {
        private const uint LevelTypeSmt = 1, LevelTypeCore = 2;

        public static void Detect(Processor cpu)
        {
            if (Cpu.Cpuid(0).Eax < 0xB || Cpu.Cpuid(0xB, 0).Ebx == 0)
            {
                // No topology leaf: call every CPU its own core in package 0.
                cpu.Package = 0;
                cpu.Core = cpu.Id;
                cpu.SmtThread = 0;
                return;
            }
            uint apicId = Cpu.Cpuid(0xB, 0).Edx;
            int smtBits = 0, coreAndSmtBits = 0;
            for (uint level = 0; level < 4; level++)
            {
                CpuidResult r = Cpu.Cpuid(0xB, level);
                uint type = (r.Ecx >> 8) & 0xFF;
                if (type == 0) break;
                int shift = (int)(r.Eax & 0x1F);                 // bits to shift the id right to reach the next level
                if (type == LevelTypeSmt) smtBits = shift;
                if (type == LevelTypeCore) coreAndSmtBits = shift;
            }
            if (coreAndSmtBits < smtBits) coreAndSmtBits = smtBits;
            cpu.SmtThread = (int)(apicId & ((1u << smtBits) - 1));
            cpu.Core = (int)((apicId >> smtBits) & ((1u << (coreAndSmtBits - smtBits)) - 1));
            cpu.Package = (int)(apicId >> coreAndSmtBits);
        }
    }
}
