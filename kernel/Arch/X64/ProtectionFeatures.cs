namespace Arch.X64
{
    /// <summary>
    /// Two CPU features that keep the kernel honest about user memory (Intel SDM vol. 3A, 4.6):
    /// SMEP: the CPU refuses to execute user pages in ring 0; SMAP: it refuses to read or write them
    /// in ring 0 too. TeachOS reaches user memory only through Mem/UserMemory.cs, which goes
    /// through the direct map, so with SMAP on any other access to a user address is a page fault
    /// at once, instead of a silent hole.
    /// </summary>
    public static class ProtectionFeatures
    {
        private const ulong Cr4Smep = 1UL << 20;
        private const ulong Cr4Smap = 1UL << 21;
        private const uint SmepBit = 1 << 7, SmapBit = 1 << 20;     // CPUID leaf 7, EBX

        public static bool SmepEnabled { get; private set; }
        public static bool SmapEnabled { get; private set; }

        private const ulong Cr4PageGlobalEnable = 1UL << 7;

        /// <summary>Turns the features on for the calling CPU (each CPU has its own CR4), with global pages.</summary>
        public static void EnableOnThisCpu()
        {
            ulong cr4 = SystemRegisters.ReadCr4() | Cr4PageGlobalEnable;
            if (Cpu.Cpuid(0).Eax >= 7)
            {
                uint features = Cpu.Cpuid(7, 0).Ebx;
                if ((features & SmepBit) != 0) { cr4 |= Cr4Smep; SmepEnabled = true; }
                if ((features & SmapBit) != 0) { cr4 |= Cr4Smap; SmapEnabled = true; }
            }
            SystemRegisters.WriteCr4(cr4);
        }
    }
}
