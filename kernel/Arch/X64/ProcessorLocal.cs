using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TeachOS.Boundary;

namespace Arch.X64
{
    /// <summary>
    /// Each CPU's own block of data, found through its GS base register, which the kernel sets per CPU
    /// (Sched/Processor.cs Install), so no CPU ever needs to know "which CPU am I" by any other means.
    /// The entry code reads it at fixed offsets (Arch/X64/SyscallEntry.asm uses GS_KERNEL_STACK_TOP and
    /// so on from the generated layout.inc); the build checks the Offset constants against the fields.
    /// It lives in Arch because every layer above needs some of it: Sync its preemption count
    /// (Sync/Preemption.cs), Mem the CPU's number (Mem/TlbShootdown.cs), Sched its Processor object
    /// and the thread it runs.
    /// </summary>
    [StructLayout(LayoutKind.Sequential), SharedWithAssembly("GS")]
    public unsafe struct ProcessorLocal
    {
        public const int KernelStackTopOffset = 8;
        public const int UserStackScratchOffset = 16;
        public const int ProcessorObjectOffset = 24;
        public const int CpuIdOffset = 32;
        public const int ThreadObjectOffset = 48;

        public ulong Self;                 // gs:0   this struct's own address
        public ulong KernelStackTop;       // gs:8   the running thread's kernel stack, for `syscall`
        public ulong UserStackScratch;     // gs:16  where `syscall` parks the user's rsp for a moment
        public ulong ProcessorObject;      // gs:24  Sched's Processor for this CPU, as a plain address
        public ulong CpuId;                // gs:32  the CPU's number, 0 for the boot CPU (Processor.Id)
        public ulong PreemptionDisabled;   // gs:40  Sync/Preemption.cs: above zero, no thread switch here
        public ulong ThreadObject;         // gs:48  Sched's Thread running on this CPU, as a plain address

        // The work due on the way out of a trap (Proc/TrapExit.cs), one byte a reason, side by side so
        // that the exit reads both in one instruction (ReadExitWork): nearly always both are 0.
        public byte RescheduleRequested;   // gs:56  switch threads on the way out (Sched's Processor)
        public byte RunningThreadKilled;   // gs:57  the running thread's process was killed (Sched's Processor.Run)

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_gs_qword")]
        public static extern ulong ReadGs(ulong offset);

        /// <summary>
        /// The same read, typed as an object reference: for the slots that hold one (gs:24, gs:48).
        /// Returning the reference straight from the import leaves the callers one call and one `mov`,
        /// small enough to inline (Sched's Processor.Current and Scheduler.Current, on every syscall);
        /// going through a ulong local instead makes the compiler park it on the stack first.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_gs_qword")]
        public static extern object ReadGsObject(ulong offset);

        /// <summary>gs:24 and gs:48, the two slots read most, each without passing its offset (Atomic.asm).</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_gs_processor_object")]
        public static extern object ReadProcessorObject();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_gs_thread_object")]
        public static extern object ReadThreadObject();

        /// <summary>
        /// gs:56 and gs:57 as one number: 0 when no work is due on the way out of a trap, which is what
        /// every trap exit asks first (Proc/TrapExit.cs). One read through GS instead of following the
        /// CPU's and the thread's objects to each flag.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_gs_exit_work")]
        public static extern int ReadExitWork();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_write_gs_base")]
        private static extern void WriteGsBase(ulong value);

        /// <summary>The calling CPU's block. Stable only while the thread cannot move to another CPU
        /// (interrupts off, or preemption disabled).</summary>
        public static ProcessorLocal* Current => (ProcessorLocal*)ReadGs(0);

        /// <summary>The calling CPU's number: one read through GS, safe anywhere once GS is set.</summary>
        public static int CurrentCpuId => (int)ReadGs(CpuIdOffset);

        /// <summary>Makes <paramref name="local"/> the calling CPU's block: points GS at it.</summary>
        public static void Install(ProcessorLocal* local, int cpuId, ulong processorObject)
        {
            local->Self = (ulong)local;
            local->KernelStackTop = 0;
            local->UserStackScratch = 0;
            local->ProcessorObject = processorObject;
            local->CpuId = (ulong)cpuId;
            local->PreemptionDisabled = 0;
            local->ThreadObject = 0;
            local->RescheduleRequested = 0;
            local->RunningThreadKilled = 0;
            WriteGsBase((ulong)local);
        }
    }
}
