using Arch.X64;

namespace Virt
{
    /// <summary>
    /// The CPUID exit (exit code 72h; APM vol. 2, 15.11): the hypervisor decides what CPU the guest
    /// believes it has. TeachOS passes the host's answers through with two changes: leaf 1 sets ECX bit 31,
    /// "running under a hypervisor" (reserved for that use by both vendors), and leaf 4000_0000h, the
    /// first of the range hypervisors answer in, gives the signature "TeachOSVM" in EBX, ECX, EDX as KVM's
    /// "KVMKVMKVM" or Hyper-V's "Microsoft Hv" do; and leaf 8000_0001h hides SVM: no guest runs guests of
    /// its own here. There is no next-RIP from QEMU's SVM: CPUID is 0F A2, two bytes, so RIP moves by two.
    /// </summary>
    public static unsafe class CpuidExit
    {
        private const uint HypervisorLeaf = 0x4000_0000;
        private const uint HypervisorPresentBit = 1u << 31;
        private const uint SvmFeatureBit = 1u << 2;
        private const ulong CpuidLength = 2;

        public static int Handle(VirtualMachine vm)
        {
            Vmcb* vmcb = vm.Vmcb;
            uint leaf = (uint)vmcb->Rax;
            uint subleaf = (uint)vm.Registers.Rcx;
            vm.CpuidExits++;
            CpuidResult result;
            if (leaf == HypervisorLeaf)
            {
                result.Eax = HypervisorLeaf;           // the highest hypervisor leaf
                result.Ebx = 0x63616554;               // "Teac"
                result.Ecx = 0x56534F68;               // "hOSV"
                result.Edx = 0x0000004D;               // "M"
            }
            else
            {
                result = Cpu.Cpuid(leaf, subleaf);
                if (leaf == 1) result.Ecx |= HypervisorPresentBit;
                if (leaf == 0x8000_0001) result.Ecx &= ~SvmFeatureBit;
            }
            vmcb->Rax = result.Eax;
            vm.Registers.Rbx = result.Ebx;
            vm.Registers.Rcx = result.Ecx;
            vm.Registers.Rdx = result.Edx;
            vmcb->Rip += CpuidLength;
            return ExitDispatch.Continue;
        }
    }
}
