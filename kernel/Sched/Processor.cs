using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Arch.X64;
using Mem;
using TeachOS.Boundary;

namespace Sched
{
    /// <summary>
    /// The data the entry code needs at fixed offsets from GS (see Arch/X64/SyscallEntry.asm, which
    /// reads them as GS_KERNEL_STACK_TOP and so on from the generated layout.inc): a CPU finds its own
    /// data through the GS base register, which the kernel sets per CPU, so no CPU ever needs to know
    /// "which CPU am I" by any other means. The build checks the Offset constants against the fields.
    /// </summary>
    [StructLayout(LayoutKind.Sequential), SharedWithAssembly("GS")]
    public struct ProcessorLocal
    {
        public const int KernelStackTopOffset = 8;
        public const int UserStackScratchOffset = 16;
        public const int ProcessorObjectOffset = 24;

        public ulong Self;                 // gs:0   this struct's own address
        public ulong KernelStackTop;       // gs:8   the running thread's kernel stack, for `syscall`
        public ulong UserStackScratch;     // gs:16  where `syscall` parks the user's rsp for a moment
        public ulong ProcessorObject;      // gs:24  the Processor below, as a plain address
    }

    /// <summary>
    /// One logical CPU: its descriptor tables, the thread it is running, its idle thread. Reached as
    /// <see cref="Current"/> through GS; with several CPUs each has its own.
    /// </summary>
    public sealed unsafe class Processor
    {
        public const int MaximumCount = Acpi.MaximumCpus;

        /// <summary>Every CPU, by Id (0 is the boot CPU).</summary>
        public static Processor[] All = new Processor[MaximumCount];
        public static int Count;

        public int Id;
        public byte ApicId;
        public bool Online;
        public ProcessorTables Tables;

        // Where this logical CPU sits (Sched/Topology.cs): its package (socket), its core in the
        // package, and which hyper-thread of that core it is.
        public int Package, Core, SmtThread;

        /// <summary>Threads ready to run on this CPU (protected by Scheduler.ThreadStateLock).</summary>
        public RunQueue<Thread> Ready = new RunQueue<Thread>();

        /// <summary>Set by the timer or another CPU's IPI: switch threads on the way out of the trap.</summary>
        public bool RescheduleRequested;

        /// <summary>
        /// Above zero while this CPU's thread must finish what it does before another runs, with
        /// interrupts on: a TLB shootdown waiting for other CPUs, kernel stacks being freed. The timer
        /// may still interrupt, but the switch waits. Were the thread switched out, threads waiting
        /// for it could fill every CPU, and it would never run again to finish (an idle thread,
        /// which no run queue holds, certainly would not).
        /// </summary>
        public int PreemptionDisabled;

        /// <summary>Ticks this CPU spent running real threads.</summary>
        public ulong BusyTicks;

        /// <summary>The stack an application processor starts on (it becomes its idle thread's).</summary>
        public KernelStack BootStack;
        public Thread CurrentThread;
        public Thread IdleThread;
        public ProcessorLocal* Local;

        /// <summary>Ticks this CPU spent in its idle thread (for the CPU-time figures).</summary>
        public ulong IdleTicks;

        /// <summary>A thread that exited on this CPU and whose kernel stack the next thread frees.</summary>
        public Thread ExitedThread;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_gs_qword")]
        private static extern ulong ReadGs(ulong offset);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_write_gs_base")]
        private static extern void WriteGsBase(ulong value);

        /// <summary>The CPU this code is running on.</summary>
        public static Processor Current
        {
            get
            {
                ulong address = ReadGs(ProcessorLocal.ProcessorObjectOffset);
                return Unsafe.As<ulong, Processor>(ref address);
            }
        }

        /// <summary>
        /// Keeps the calling thread on this CPU, and running, until <see cref="EnablePreemption"/>
        /// (calls nest); returns the CPU. Interrupts are off while the count goes up: a switch between
        /// finding the CPU and raising its count would raise another CPU's.
        /// </summary>
        public static Processor DisablePreemption()
        {
            bool wereOn = Interrupts.Save();
            Processor cpu = Current;
            cpu.PreemptionDisabled++;
            Interrupts.Restore(wereOn);
            return cpu;
        }

        /// <summary>Undoes <see cref="DisablePreemption"/>; a switch asked for meanwhile happens at the next trap.</summary>
        public static void EnablePreemption(Processor cpu) => cpu.PreemptionDisabled--;

        /// <summary>Makes <paramref name="processor"/> the calling CPU's own: points GS at its local data.</summary>
        public static void Install(Processor processor)
        {
            All[processor.Id] = processor;
            if (processor.Id >= Count) Count = processor.Id + 1;
            processor.Local = (ProcessorLocal*)KernelHeap.Allocate((ulong)sizeof(ProcessorLocal));
            processor.Local->Self = (ulong)processor.Local;
            Processor self = processor;
            processor.Local->ProcessorObject = *(ulong*)Unsafe.AsPointer(ref self);
            WriteGsBase((ulong)processor.Local);
        }

        /// <summary>Points the TSS (interrupts from ring 3) and the syscall entry at a thread's kernel stack.</summary>
        public void UseKernelStack(ulong top)
        {
            Tables.SetKernelStack(top);
            Local->KernelStackTop = top;
        }
    }
}
