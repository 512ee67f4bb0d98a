using Mem;

namespace Arch.X64
{
    /// <summary>
    /// One CPU's descriptor tables: its GDT and TSS (each CPU needs its own TSS, because RSP0 is the
    /// running thread's kernel stack and that differs per CPU) and the extra stacks its TSS names.
    /// The IDT is shared by all CPUs (Arch/X64/Idt.cs).
    /// </summary>
    public sealed unsafe class ProcessorTables
    {
        /// <summary>The boot CPU's tables (the per-CPU data will own them once there are several CPUs).</summary>
        public static ProcessorTables Boot;

        public GlobalDescriptorTable* Gdt { get; private set; }
        public TaskStateSegment* Tss { get; private set; }

        /// <summary>Builds and loads the tables on the calling CPU.</summary>
        public static ProcessorTables CreateAndLoad()
        {
            var tables = new ProcessorTables
            {
                Gdt = (GlobalDescriptorTable*)KernelHeap.Allocate((ulong)sizeof(GlobalDescriptorTable)),
                Tss = (TaskStateSegment*)KernelHeap.Allocate((ulong)sizeof(TaskStateSegment)),
            };
            tables.Tss->Ist1 = KernelStack.Allocate().Top;
            tables.Tss->Ist2 = KernelStack.Allocate().Top;
            tables.Tss->Ist3 = KernelStack.Allocate().Top;
            tables.Tss->IoMapBase = (ushort)sizeof(TaskStateSegment);
            tables.Gdt->Fill((ulong)tables.Tss, (uint)sizeof(TaskStateSegment) - 1);

            DescriptorTablePointer pointer;
            pointer.Limit = (ushort)(sizeof(GlobalDescriptorTable) - 1);
            pointer.Base = (ulong)tables.Gdt;
            SystemRegisters.LoadGdt(&pointer, Selectors.KernelCode, Selectors.KernelData);
            SystemRegisters.LoadTaskRegister(Selectors.TaskState);
            return tables;
        }

        /// <summary>The stack the CPU switches to on an interrupt from user mode.</summary>
        public void SetKernelStack(ulong top) => Tss->Rsp0 = top;
    }
}
