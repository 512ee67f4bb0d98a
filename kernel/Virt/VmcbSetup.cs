namespace Virt
{
    /// <summary>
    /// Fills in a new virtual CPU's VMCB: what the hypervisor intercepts (the control area) and the state
    /// the guest starts in (the save area). The guest starts as a boot loader leaves a 32-bit kernel: in
    /// protected mode, paging off, flat 4 GiB code and data segments, at the entry address, with its stack
    /// at the top of its memory. The VMCB can say all that directly: VMRUN loads the segments' hidden parts
    /// (base, limit, attributes) from it, so the guest needs no GDT and no real-mode start (APM vol. 2, 15.5.1).
    /// </summary>
    public static unsafe class VmcbSetup
    {
        // Segment attributes, packed as the VMCB keeps them: type (bits 0-3), S (4), DPL (5-6), P (7),
        // AVL (8), L (9), D/B (10), G (11) (APM vol. 2, 15.5.1; vol. 3 for the descriptor bits).
        private const ushort Code32 = 0xB | 1 << 4 | 1 << 7 | 1 << 10 | 1 << 11;   // execute/read, accessed; present; 32-bit; 4 KiB granules
        private const ushort Data32 = 0x3 | 1 << 4 | 1 << 7 | 1 << 10 | 1 << 11;   // read/write, accessed
        private const ushort Tss32Busy = 0xB | 1 << 7;                             // a busy 32-bit TSS (no guest task switch ever uses it)
        private const ushort LdtPresent = 0x2 | 1 << 7;

        private const ulong Cr0ProtectionEnable = 1ul << 0;
        private const ulong Cr0Emulation = 1ul << 2;        // x87/MMX/SSE instructions fault: the guest cannot touch the host's FPU registers, which VMRUN does not switch
        private const ulong Cr0ExtensionType = 1ul << 4;
        private const ulong EferSvmEnable = 1ul << 12;      // VMRUN's consistency checks want SVME set in the guest's EFER too (15.5.1)
        private const ulong RflagsReserved = 1ul << 1;      // bit 1 of RFLAGS always reads 1
        private const uint VIntrMasking = 1u << 24;         // the host's RFLAGS.IF, not the guest's, masks physical interrupts (15.21.1)
        private const ulong NestedPagingEnable = 1;
        private const ulong DefaultPat = 0x0007040600070406; // the power-on PAT: write-back, write-through, UC-, UC (as the host's)
        private const ulong Dr6Initial = 0xFFFF0FF0, Dr7Initial = 0x400;

        public static void Initialize(Vmcb* vmcb, uint asid, ulong nestedRoot, ulong memorySize, ulong entry)
        {
            // What exits. The host's interrupts (the timer's preemption), CPUID (answered by the
            // hypervisor), HLT, every I/O port and MSR (through the all-ones maps), shutdown (a guest's
            // triple fault would otherwise reset the machine), and the SVM instructions: VMRUN must be
            // intercepted (VMRUN fails otherwise), and a guest may not run guests or touch GIF here.
            vmcb->InterceptMisc1 = Intercepts.Intr | Intercepts.Cpuid | Intercepts.Hlt | Intercepts.IoioProt
                                 | Intercepts.MsrProt | Intercepts.Shutdown;
            vmcb->InterceptMisc2 = Intercepts.Vmrun | Intercepts.Vmmcall | Intercepts.Vmload | Intercepts.Vmsave
                                 | Intercepts.Stgi | Intercepts.Clgi | Intercepts.Skinit;
            vmcb->IopmBasePa = PermissionMaps.IopmPhysical;
            vmcb->MsrpmBasePa = PermissionMaps.MsrpmPhysical;
            vmcb->GuestAsid = asid;
            vmcb->TlbControl = 1;
            vmcb->VIntr = VIntrMasking;
            vmcb->NpEnable = NestedPagingEnable;
            vmcb->NCr3 = nestedRoot;
            vmcb->VmcbCleanBits = 0;

            Flat(&vmcb->Cs, 0x08, Code32);
            Flat(&vmcb->Ds, 0x10, Data32);
            Flat(&vmcb->Es, 0x10, Data32);
            Flat(&vmcb->Ss, 0x10, Data32);
            Flat(&vmcb->Fs, 0x10, Data32);
            Flat(&vmcb->Gs, 0x10, Data32);
            vmcb->Tr = new VmcbSegment { Selector = 0x18, Attributes = Tss32Busy, Limit = 0x67, Base = 0 };
            vmcb->Ldtr = new VmcbSegment { Attributes = LdtPresent, Limit = 0xFFFF };
            vmcb->Gdtr = new VmcbSegment();        // no tables: a fault in the guest cannot be delivered, and becomes
            vmcb->Idtr = new VmcbSegment();        // a triple fault, which the SHUTDOWN intercept turns into a report
            vmcb->Cpl = 0;
            vmcb->Efer = EferSvmEnable;
            vmcb->Cr0 = Cr0ProtectionEnable | Cr0ExtensionType | Cr0Emulation;
            vmcb->Cr3 = 0;
            vmcb->Cr4 = 0;
            vmcb->Dr6 = Dr6Initial;
            vmcb->Dr7 = Dr7Initial;
            vmcb->GPat = DefaultPat;
            vmcb->Rflags = RflagsReserved;
            vmcb->Rip = entry;
            vmcb->Rsp = memorySize;
            vmcb->Rax = 0;
        }

        private static void Flat(VmcbSegment* segment, ushort selector, ushort attributes)
        {
            segment->Selector = selector;
            segment->Attributes = attributes;
            segment->Limit = 0xFFFF_FFFF;          // with G set the CPU keeps the limit in bytes here (15.5.1)
            segment->Base = 0;
        }
    }
}
