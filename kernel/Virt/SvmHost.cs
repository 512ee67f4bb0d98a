using Arch.X64;
using Mem;
using Sched;

namespace Virt
{
    /// <summary>
    /// The host's side of SVM on each CPU: whether the CPU has it, and per CPU the two pages the world
    /// switch needs. The host save area (VM_HSAVE_PA) is where VMRUN itself keeps the host's state; the
    /// host VMCB is where the world switch's VMSAVE keeps the host's FS, GS, TR and syscall MSRs while
    /// the guest's are loaded (APM vol. 2, 15.5 and 15.30.4). A CPU is enabled the first time a guest
    /// runs on it: CPUs that never run one never turn SVM on.
    /// </summary>
    public static unsafe class SvmHost
    {
        private static bool s_checked, s_available;
        private static uint s_asidCount;
        private static readonly ulong[] s_hostSaveArea = new ulong[Processor.MaximumCount];
        private static readonly ulong[] s_hostVmcb = new ulong[Processor.MaximumCount];

        /// <summary>Whether virtual machines can run here: SVM with nested paging (the boot CPU's answer, as all are alike).</summary>
        public static bool IsAvailable
        {
            get
            {
                if (!s_checked) { s_available = Svm.IsAvailable(out s_asidCount); s_checked = true; }
                return s_available;
            }
        }

        /// <summary>ASIDs the CPU tags TLB entries with (0 is the host's).</summary>
        public static uint AsidCount => IsAvailable ? s_asidCount : 0;

        /// <summary>
        /// The calling CPU's host VMCB, enabling SVM there first if it never ran a guest. Interrupts off: the
        /// caller is about to run the guest on this very CPU. 0 when the frames for it are not there.
        /// </summary>
        public static ulong PrepareThisCpu()
        {
            int cpu = Processor.Current.Id;
            if (s_hostVmcb[cpu] != 0) return s_hostVmcb[cpu];
            ulong saveArea = FrameAllocator.TryAllocate();
            ulong hostVmcb = FrameAllocator.TryAllocate();
            if (saveArea == 0 || hostVmcb == 0)
            {
                if (saveArea != 0) FrameAllocator.Free(saveArea);
                if (hostVmcb != 0) FrameAllocator.Free(hostVmcb);
                return 0;
            }
            Svm.EnableOnThisCpu(saveArea);
            s_hostSaveArea[cpu] = saveArea;
            s_hostVmcb[cpu] = hostVmcb;
            return hostVmcb;
        }
    }
}
