using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TeachOS.Boundary;

namespace Arch.X64
{
    /// <summary>
    /// The guest's general registers that VMRUN does not switch (RAX and RSP are in the VMCB): the world
    /// switch (SvmWorldSwitch.asm) loads them before VMRUN and stores them after #VMEXIT. The offsets are
    /// the stub's REG_ constants.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GuestRegisters
    {
        public ulong Rbx, Rcx, Rdx, Rsi, Rdi, Rbp, R8, R9, R10, R11, R12, R13, R14, R15;
    }

    /// <summary>
    /// AMD's Secure Virtual Machine extension (AMD64 APM vol. 2, chapter 15): finding it, turning it on
    /// for a CPU, and the world switch. Only the instructions live here; the hypervisor that uses them is
    /// kernel/Virt.
    /// </summary>
    public static unsafe class Svm
    {
        // CPUID: 8000_0001h ECX bit 2 says the CPU has SVM; leaf 8000_000Ah describes it: EBX is the
        // number of ASIDs, EDX bit 0 nested paging (APM vol. 2, 15.4 "Enabling SVM"; vol. 3, appendix E).
        private const uint ExtendedFeaturesLeaf = 0x8000_0001;
        private const uint SvmFeatureBit = 1u << 2;
        private const uint SvmLeaf = 0x8000_000A;
        private const uint NestedPagingBit = 1u << 0;

        // MSRs (APM vol. 2, 15.30 "SVM Related MSRs"; 3.1.7 for EFER).
        private const uint Efer = 0xC000_0080;
        private const ulong EferSvmEnable = 1ul << 12;          // EFER.SVME: without it VMRUN is #UD
        private const uint VmCr = 0xC001_0114;
        private const ulong VmCrSvmDisable = 1ul << 4;          // VM_CR.SVMDIS: the firmware locked SVM off
        private const uint HostSaveAreaMsr = 0xC001_0117;       // VM_HSAVE_PA: where VMRUN keeps the host's state

        /// <summary>Whether this CPU has SVM with nested paging, and how many ASIDs it has.</summary>
        public static bool IsAvailable(out uint asidCount)
        {
            asidCount = 0;
            if (Cpu.Cpuid(0x8000_0000).Eax < SvmLeaf) return false;
            if ((Cpu.Cpuid(ExtendedFeaturesLeaf).Ecx & SvmFeatureBit) == 0) return false;
            CpuidResult svm = Cpu.Cpuid(SvmLeaf);
            if ((svm.Edx & NestedPagingBit) == 0) return false;
            if ((SystemRegisters.ReadMsr(VmCr) & VmCrSvmDisable) != 0) return false;
            asidCount = svm.Ebx;
            return true;
        }

        /// <summary>
        /// Turns SVM on for the calling CPU: EFER.SVME, and the physical address of a 4 KiB page where
        /// VMRUN saves the host's state (15.30.4). Each CPU needs both: MSRs are per CPU.
        /// </summary>
        public static void EnableOnThisCpu(ulong hostSaveAreaPhysical)
        {
            SystemRegisters.WriteMsr(Efer, SystemRegisters.ReadMsr(Efer) | EferSvmEnable);
            SystemRegisters.WriteMsr(HostSaveAreaMsr, hostSaveAreaPhysical);
        }

        /// <summary>
        /// Runs the guest until its next #VMEXIT (SvmWorldSwitch.asm). Interrupts must be off (the caller
        /// chose this CPU's host areas and must stay on it); an interrupt that ended the guest is taken
        /// when the caller turns them back on.
        /// </summary>
        public static void SwitchToGuest(ulong guestVmcbPhysical, ulong hostVmcbPhysical, GuestRegisters* registers)
            => WorldSwitch(guestVmcbPhysical, hostVmcbPhysical, registers);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "svm_world_switch")]
        private static extern void WorldSwitch(ulong guestVmcbPhysical, ulong hostVmcbPhysical, GuestRegisters* registers);
    }
}
