using System.Runtime.InteropServices;

namespace Virt
{
    /// <summary>
    /// A segment register as the VMCB holds it: the selector and the "hidden" part the CPU normally loads
    /// from a descriptor table, written out so that the hypervisor can set it directly (APM vol. 2, 15.5.1,
    /// and appendix B, "VMCB Layout"). Attributes are the descriptor's type, S, DPL, P, AVL, L, D/B and G
    /// bits packed into 12 bits.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct VmcbSegment
    {
        public ushort Selector;
        public ushort Attributes;
        public uint Limit;
        public ulong Base;
    }

    /// <summary>
    /// The virtual machine control block: one 4 KiB page per virtual CPU, whose physical address VMRUN
    /// takes in RAX (APM vol. 2, appendix B). The first 1 KiB is the control area (what to intercept, the
    /// permission maps, the ASID, nested paging, and what the last #VMEXIT was); from offset 400h is the
    /// guest's state save area (its registers while it is not running). Only the fields TeachOS uses are
    /// named; the offsets and names are the manual's (table B-1 and B-2).
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 4096)]
    public struct Vmcb
    {
        // ---- Control area (table B-1) ----
        [FieldOffset(0x000)] public uint InterceptCr;           // CR reads (bits 0-15) and writes (16-31)
        [FieldOffset(0x004)] public uint InterceptDr;
        [FieldOffset(0x008)] public uint InterceptExceptions;   // one bit per exception vector
        [FieldOffset(0x00C)] public uint InterceptMisc1;        // INTR, NMI, ..., CPUID, HLT, IOIO_PROT, MSR_PROT, SHUTDOWN
        [FieldOffset(0x010)] public uint InterceptMisc2;        // VMRUN, VMMCALL, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, ...
        [FieldOffset(0x040)] public ulong IopmBasePa;           // I/O permission map: 12 KiB, one bit per port
        [FieldOffset(0x048)] public ulong MsrpmBasePa;          // MSR permission map: 8 KiB, two bits per MSR
        [FieldOffset(0x050)] public ulong TscOffset;
        [FieldOffset(0x058)] public uint GuestAsid;             // address-space id: the guest's TLB entries are tagged with it
        [FieldOffset(0x05C)] public byte TlbControl;            // 1: flush the TLB on this VMRUN
        [FieldOffset(0x060)] public uint VIntr;                 // V_TPR, V_IRQ (bit 8), V_INTR_PRIO, V_IGN_TPR, V_INTR_MASKING (bit 24)
        [FieldOffset(0x064)] public uint IntVector;             // V_INTR_VECTOR: the vector a pending V_IRQ stands for
        [FieldOffset(0x068)] public ulong InterruptShadow;
        [FieldOffset(0x070)] public ulong ExitCode;             // why the guest stopped (appendix C)
        [FieldOffset(0x078)] public ulong ExitInfo1;            // more about it: the I/O port, the fault's error code...
        [FieldOffset(0x080)] public ulong ExitInfo2;            // the next RIP of an I/O exit, the faulting guest-physical address...
        [FieldOffset(0x088)] public ulong ExitIntInfo;          // an event that was being delivered when the exit came
        [FieldOffset(0x090)] public ulong NpEnable;             // bit 0: nested paging on
        [FieldOffset(0x0A8)] public ulong EventInj;             // an interrupt or exception to inject at VMRUN
        [FieldOffset(0x0B0)] public ulong NCr3;                 // nested page table: guest-physical to host-physical
        [FieldOffset(0x0C0)] public uint VmcbCleanBits;         // 0: the CPU may cache nothing of this VMCB
        [FieldOffset(0x0C8)] public ulong NRip;                 // next RIP (not filled in by QEMU's emulation)

        // ---- State save area (table B-2), at offset 400h ----
        [FieldOffset(0x400)] public VmcbSegment Es;
        [FieldOffset(0x410)] public VmcbSegment Cs;
        [FieldOffset(0x420)] public VmcbSegment Ss;
        [FieldOffset(0x430)] public VmcbSegment Ds;
        [FieldOffset(0x440)] public VmcbSegment Fs;
        [FieldOffset(0x450)] public VmcbSegment Gs;
        [FieldOffset(0x460)] public VmcbSegment Gdtr;
        [FieldOffset(0x470)] public VmcbSegment Ldtr;
        [FieldOffset(0x480)] public VmcbSegment Idtr;
        [FieldOffset(0x490)] public VmcbSegment Tr;
        [FieldOffset(0x4CB)] public byte Cpl;
        [FieldOffset(0x4D0)] public ulong Efer;
        [FieldOffset(0x548)] public ulong Cr4;
        [FieldOffset(0x550)] public ulong Cr3;
        [FieldOffset(0x558)] public ulong Cr0;
        [FieldOffset(0x560)] public ulong Dr7;
        [FieldOffset(0x568)] public ulong Dr6;
        [FieldOffset(0x570)] public ulong Rflags;
        [FieldOffset(0x578)] public ulong Rip;
        [FieldOffset(0x5D8)] public ulong Rsp;
        [FieldOffset(0x5F8)] public ulong Rax;
        [FieldOffset(0x640)] public ulong Cr2;
        [FieldOffset(0x668)] public ulong GPat;                 // the guest's PAT, used with nested paging
    }

    /// <summary>The intercept bits TeachOS sets (APM vol. 2, table B-1; 15.9 to 15.14 for what each one catches).</summary>
    public static class Intercepts
    {
        // Word at 00Ch.
        public const uint Intr = 1u << 0;           // a physical interrupt: the host's timer takes the CPU back (15.21.2)
        public const uint Vintr = 1u << 4;          // the guest can take the virtual interrupt V_IRQ announces (15.21.4)
        public const uint Cpuid = 1u << 18;         // the hypervisor answers CPUID (15.11)
        public const uint Hlt = 1u << 24;           // the guest has nothing to do
        public const uint IoioProt = 1u << 27;      // IN/OUT, filtered by the I/O permission map (15.10)
        public const uint MsrProt = 1u << 28;       // RDMSR/WRMSR, filtered by the MSR permission map (15.11)
        public const uint Shutdown = 1u << 31;      // a triple fault: otherwise the whole machine would reset (15.12)

        // Word at 010h.
        public const uint Vmrun = 1u << 0;          // must be set: VMRUN fails otherwise (15.5.1)
        public const uint Vmmcall = 1u << 1;
        public const uint Vmload = 1u << 2;
        public const uint Vmsave = 1u << 3;
        public const uint Stgi = 1u << 4;
        public const uint Clgi = 1u << 5;
        public const uint Skinit = 1u << 6;
    }
}
