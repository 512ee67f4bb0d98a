using System.Runtime;
using Arch.X64;
using Mem;
using Terminal;

namespace Sched
{
    /// <summary>
    /// Bringing up the other logical CPUs: for each one ACPI lists, the boot CPU prepares a Processor and
    /// a stack and sends INIT-SIPI-SIPI (Arch/X64/ApStartup.cs); the CPU climbs to 64-bit mode and lands
    /// in <see cref="ApMain"/>, where it sets itself up like the boot CPU did (its own GDT and TSS, the
    /// shared IDT, its local APIC timer, its GS base) and becomes an idle CPU the scheduler can use.
    /// </summary>
    public static unsafe class Multiprocessor
    {
        /// <summary>How long starting the application processors took, from the first INIT to the last one online.</summary>
        public static ulong BringUpMicroseconds { get; private set; }

        public static void StartOtherCpus(Processor boot)
        {
            Topology.Detect(boot);
            PrintCpu(boot);
            TlbShootdown.AddCpu(boot.Id, boot.ApicId);     // before any other CPU can shoot down
            if (Acpi.CpuCount <= 1) return;

            ulong start = Cpu.ReadTimestamp();
            ApStartup.Prepare(KernelAddressSpace.Pml4);
            int next = 1;
            for (int i = 0; i < Acpi.CpuCount; i++)
            {
                byte apicId = Acpi.ApicIds[i];
                if (apicId == boot.ApicId || next == Processor.MaximumCount) continue;
                var cpu = new Processor { Id = next++, ApicId = apicId };
                Processor.All[cpu.Id] = cpu;
                KernelStack stack = KernelStack.Allocate();
                cpu.BootStack = stack;
                ApStartup.Start(apicId, cpu.Id, stack.Top, (ulong)(delegate*<int, void>)&ApMain);
                ulong deadline = Time.Clock.Ticks + Time.Clock.Hertz;    // one second
                while (!System.Threading.Volatile.Read(ref cpu.Online) && Time.Clock.Ticks < deadline) Cpu.Pause();
                if (!cpu.Online)
                {
                    Console.WriteLine($"cpu with APIC id {apicId} did not start");
                    Processor.All[cpu.Id] = null;
                    next--;
                    continue;
                }
                PrintCpu(cpu);
            }
            ApStartup.Finish();
            ulong hertz = Time.Clock.TimestampHertz;
            BringUpMicroseconds = hertz == 0 ? 0 : (Cpu.ReadTimestamp() - start) * 1000000 / hertz;
            Console.WriteLine($"smp: {Processor.Count} logical CPUs online; starting the others took {BringUpMicroseconds} us");
        }

        /// <summary>Builds and loads the calling CPU's GDT and TSS, with the TSS's three interrupt
        /// stacks, in memory from the kernel heap and kernel stacks (the boot CPU's too, from KernelMain).</summary>
        public static ProcessorTables CreateProcessorTables() => ProcessorTables.CreateAndLoad(
            (GlobalDescriptorTable*)KernelHeap.Allocate((ulong)sizeof(GlobalDescriptorTable)),
            (TaskStateSegment*)KernelHeap.Allocate((ulong)sizeof(TaskStateSegment)),
            KernelStack.Allocate().Top, KernelStack.Allocate().Top, KernelStack.Allocate().Top);

        /// <summary>Where each application processor arrives from Arch/X64/ApTrampoline.asm.</summary>
        [RuntimeExport("ap_main")]
        private static void ApMain(int index)
        {
            Processor cpu = Processor.All[index];
            PageTables.Activate(KernelAddressSpace.Pml4);       // leave the trampoline's tables
            ProtectionFeatures.EnableOnThisCpu();
            cpu.Tables = CreateProcessorTables();
            Idt.Load();
            Processor.Install(cpu);
            SyscallMsrs.Enable();
            Topology.Detect(cpu);
            LocalApic.Enable();
            Scheduler.AdoptIdleThread(cpu, cpu.BootStack.Top, cpu.BootStack);
            cpu.UseKernelStack(cpu.BootStack.Top);
            Time.Clock.StartOnThisCpu();
            TlbShootdown.AddCpu(cpu.Id, cpu.ApicId);
            System.Threading.Volatile.Write(ref cpu.Online, true);
            IdleThreads.Run();
        }

        private static void PrintCpu(Processor cpu)
        {
            string state = cpu.Id == 0 ? " (boot CPU)" : " online";
            Console.WriteLine($"cpu {cpu.Id}: apic {cpu.ApicId}, package {cpu.Package}, core {cpu.Core}, thread {cpu.SmtThread}{state}");
        }
    }
}
