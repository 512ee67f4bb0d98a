namespace Virt
{
    /// <summary>
    /// The exit codes the VMCB's EXITCODE field holds after #VMEXIT (AMD APM vol. 2, appendix C, "SVM
    /// Intercept Exit Codes"): which intercepted event ended the guest's turn.
    /// </summary>
    public static class SvmExitCodes
    {
        public const ulong ExceptionBase = 0x40;    // 40h + vector: an intercepted exception
        public const ulong Intr = 0x60;             // a physical interrupt for the host
        public const ulong Vintr = 0x64;            // the guest's interrupt window opened (V_IRQ pending, IF now 1)
        public const ulong Cpuid = 0x72;
        public const ulong Hlt = 0x78;
        public const ulong Ioio = 0x7B;
        public const ulong Msr = 0x7C;
        public const ulong Shutdown = 0x7F;
        public const ulong Vmrun = 0x80;
        public const ulong Vmmcall = 0x81;
        public const ulong Vmload = 0x82;
        public const ulong Vmsave = 0x83;
        public const ulong Stgi = 0x84;
        public const ulong Clgi = 0x85;
        public const ulong Skinit = 0x86;
        public const ulong NestedPageFault = 0x400; // NPF: a guest-physical address the nested page table does not map
        public const ulong Invalid = ulong.MaxValue; // VMEXIT_INVALID (-1): VMRUN found the VMCB's state inconsistent (15.5.1)

        public static string Name(ulong code)
        {
            switch (code)
            {
                case Intr: return "INTR";
                case Vintr: return "VINTR";
                case Cpuid: return "CPUID";
                case Hlt: return "HLT";
                case Ioio: return "IOIO";
                case Msr: return "MSR";
                case Shutdown: return "SHUTDOWN";
                case Vmrun: return "VMRUN";
                case Vmmcall: return "VMMCALL";
                case Vmload: return "VMLOAD";
                case Vmsave: return "VMSAVE";
                case Stgi: return "STGI";
                case Clgi: return "CLGI";
                case Skinit: return "SKINIT";
                case NestedPageFault: return "NPF";
                case Invalid: return "INVALID";
                default: return code >= ExceptionBase && code < ExceptionBase + 32 ? "EXCEPTION" : "OTHER";
            }
        }
    }
}
