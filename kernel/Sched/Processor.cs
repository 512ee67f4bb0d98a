using System.Runtime.CompilerServices;
using Arch.X64;
using Mem;

namespace Sched
{
    /// <summary>
    /// One logical CPU: its descriptor tables, the thread it is running, its idle thread. Reached as
    /// <see cref="Current"/> through GS (Arch/X64/ProcessorLocal.cs, the per-CPU block, which also holds
    /// the CPU's preemption count, Sync/Preemption.cs); with several CPUs each has its own.
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

        /// <summary>
        /// Set by the timer or another CPU's IPI: switch threads on the way out of the trap. Kept in the
        /// CPU's GS block, beside the running thread's kill, where the trap exit tests both at once
        /// (Proc/TrapExit.cs).
        /// </summary>
        public bool RescheduleRequested
        {
            get => Local->RescheduleRequested != 0;
            set => Local->RescheduleRequested = value ? (byte)1 : (byte)0;
        }

        /// <summary>Ticks this CPU spent running real threads.</summary>
        public ulong BusyTicks;

        /// <summary>The stack an application processor starts on (it becomes its idle thread's).</summary>
        public KernelStack BootStack;
        /// <summary>The thread this CPU runs; set only by <see cref="Run"/>, which tells GS too.</summary>
        public Thread CurrentThread;
        public Thread IdleThread;
        public ProcessorLocal* Local;

        /// <summary>Ticks this CPU spent in its idle thread (for the CPU-time figures).</summary>
        public ulong IdleTicks;

        /// <summary>
        /// Thread switches on this CPU (Scheduler.Switches adds them up). One count per CPU, as Linux
        /// keeps one per run queue: the switch adds one through the Processor it already holds in a
        /// register, where a shared static would first need its address loaded.
        /// </summary>
        public ulong Switches;

        /// <summary>
        /// The address space whose tables this CPU has loaded (null: the kernel's own; Scheduler's
        /// GuestTables: a deprivileged guest's, Virt/TrapEmulate), changed only by
        /// Scheduler.UseAddressSpace, which skips the work when a switch keeps it.
        /// </summary>
        public AddressSpace LoadedSpace;

        /// <summary>A thread that exited on this CPU and whose kernel stack the next thread frees.</summary>
        public Thread ExitedThread;

        /// <summary>
        /// Makes <paramref name="thread"/> this CPU's running thread, in the field other CPUs read and in
        /// the CPU's GS block (gs:48), where <see cref="Scheduler.Current"/> finds it in one instruction.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]       // part of every switch: no call of its own
        public void Run(Thread thread)
        {
            // Both stores as a plain address, on every thread switch. Storing a reference into an object
            // (CurrentThread = thread) makes the compiler call the runtime's write barrier, which a
            // garbage collector would need; this kernel has none and never moves an object, so the
            // barrier is a plain store behind a call, and the registers the call may clobber are saved
            // around it. The field holds the same reference either way.
            // (Local in a local: the compiler cannot tell that the stores before do not change the
            // field, and would read it again for each store into the block.)
            ProcessorLocal* local = Local;
            ulong address = Unsafe.As<Thread, ulong>(ref thread);
            Unsafe.As<Thread, ulong>(ref CurrentThread) = address;
            local->ThreadObject = address;
            // Whether its process was killed, where the trap exit's one test sees it (Proc/TrapExit.cs).
            // A kill while it runs sets the same byte (Scheduler.OwnerKilledLocked). A bool is one byte,
            // 0 or 1: copied as that byte, it is a load and a store.
            local->RunningThreadKilled = Unsafe.As<bool, byte>(ref thread.OwnerKilled);
        }

        /// <summary>The CPU this code is running on.</summary>
        public static Processor Current => Unsafe.As<Processor>(ProcessorLocal.ReadProcessorObject());

        /// <summary>Makes <paramref name="processor"/> the calling CPU's own: points GS at its local data.</summary>
        public static void Install(Processor processor)
        {
            All[processor.Id] = processor;
            if (processor.Id >= Count) Count = processor.Id + 1;
            processor.Local = (ProcessorLocal*)KernelHeap.Allocate((ulong)sizeof(ProcessorLocal));
            Processor self = processor;
            ProcessorLocal.Install(processor.Local, processor.Id, *(ulong*)Unsafe.AsPointer(ref self));
        }

        /// <summary>Points the TSS (interrupts from ring 3) and the syscall entry at a thread's kernel stack.</summary>
        public void UseKernelStack(ulong top)
        {
            Tables.SetKernelStack(top);
            Local->KernelStackTop = top;
        }
    }
}
