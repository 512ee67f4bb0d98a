using Arch.X64;
using Mem;
using Sched;
using Terminal;

namespace Virt
{
    /// <summary>
    /// The host's side of SVM: whether the CPU has it, and per CPU the two pages the world switch needs.
    /// The host save area (VM_HSAVE_PA) is where VMRUN itself keeps the host's state; the host VMCB is
    /// where the world switch's VMSAVE keeps the host's FS, GS, TR and syscall MSRs while the guest's
    /// are loaded (APM vol. 2, 15.5 and 15.30.4). Boot makes the pages for every CPU and the permission
    /// maps, once, so that the memory check around init sees no frame change when guests come and go;
    /// each CPU turns SVM on (EFER.SVME and VM_HSAVE_PA are its own MSRs) the first time a guest runs there.
    /// </summary>
    public static unsafe class SvmHost
    {
        private static bool s_available;
        private static uint s_asidCount;
        private static readonly ulong[] s_hostSaveArea = new ulong[Processor.MaximumCount];
        private static readonly ulong[] s_hostVmcb = new ulong[Processor.MaximumCount];
        private static readonly bool[] s_enabled = new bool[Processor.MaximumCount];

        /// <summary>Whether virtual machines can run here: SVM with nested paging, and its pages made at boot.</summary>
        public static bool IsAvailable => s_available;

        /// <summary>ASIDs the CPU tags TLB entries with (0 is the host's).</summary>
        public static uint AsidCount => s_asidCount;

        /// <summary>At boot, once the other CPUs are up: finds SVM and makes the pages every CPU and every guest share.</summary>
        public static void Initialize()
        {
            if (!Svm.IsAvailable(out s_asidCount))
            {
                Console.WriteLine("svm: no AMD SVM with nested paging; vm_create gives ENODEV");
                return;
            }
            for (int cpu = 0; cpu < Processor.Count; cpu++)
            {
                s_hostSaveArea[cpu] = FrameAllocator.Allocate();
                s_hostVmcb[cpu] = FrameAllocator.Allocate();
            }
            if (!PermissionMaps.Prepare()) { Console.WriteLine("svm: no room for the permission maps"); return; }
            s_available = true;
            Console.WriteLine($"svm: AMD SVM with nested paging, {s_asidCount} ASIDs");
        }

        /// <summary>
        /// The calling CPU's host VMCB, turning SVM on there first if it never ran a guest. Interrupts
        /// off: the caller is about to run the guest on this very CPU.
        /// </summary>
        public static ulong PrepareThisCpu()
        {
            int cpu = Processor.Current.Id;
            if (!s_enabled[cpu])
            {
                Svm.EnableOnThisCpu(s_hostSaveArea[cpu]);
                s_enabled[cpu] = true;
            }
            return s_hostVmcb[cpu];
        }
    }
}
