using System.Runtime;
using Arch.X64;
using Boot;
using Drivers;
using Internal.Runtime.CompilerHelpers;
using Mem;
using Sched;
using Time;
using Traps;

/// <summary>
/// Where C# begins: Boot/Start.asm calls kmain in 64-bit mode, on the boot stack, with the Multiboot
/// magic and the physical address of the boot loader's information. Each step below prepares what
/// the next one needs; the order matters and is explained at each step.
/// </summary>
public static unsafe class KernelMain
{
    [RuntimeExport("kmain")]
    private static void Main(uint magic, ulong multibootInfoPhysical)
    {
        // Output first, so that anything that goes wrong later can be reported.
        Serial.Initialize();

        // `new` needs memory before anything else in C# can allocate: start the heap on an area
        // reserved in the image, then let the runtime allocate the objects that hold static fields.
        KernelHeap.AddMemory(BootstrapHeap.Start, BootstrapHeap.Size);
        StartupCodeHelpers.InitializeModules(LinkerSymbols.ModulesStart(), LinkerSymbols.ModulesEnd());

        VgaText.Clear();
        Multiboot.Parse(magic, multibootInfoPhysical);
        Banner.Print();

        // Memory: which frames are free, then the kernel's own page tables (which drop the boot
        // tables' identity map: from here on page 0 is unmapped and null dereferences fault).
        FrameAllocator.Initialize();
        KernelAddressSpace.Initialize();
        FrameAllocator.PrintUsage();

        // Traps: this CPU's GDT and TSS (with the double-fault stack), then the IDT. From here on an
        // exception produces a report instead of a triple fault.
        ProcessorTables.Boot = ProcessorTables.CreateAndLoad();
        Idt.Initialize();
        TrapLog.Configure();

        // Interrupts: the PIC, the timer, keyboard and serial input; then let them in.
        Pic.Initialize(TrapVectors.IrqBase);
        Clock.Start();
        Pic.Unmask(TrapVectors.TimerIrq);
        Keyboard.Initialize();
        Serial.EnableReceiveInterrupt();
        Cpu.EnableInterrupts();
        Console.Write("timer: ");
        Console.WriteDecimal(Clock.Hertz);
        Console.WriteLine(" Hz; interrupts on");

        // Threads: this CPU's per-CPU data (reached through GS), and the scheduler, which turns the
        // code running here into a thread like any other and starts preempting on timer ticks.
        var boot = new Processor { Id = 0, Tables = ProcessorTables.Boot };
        Processor.Install(boot);
        Scheduler.Initialize(boot, (ulong)LinkerSymbols.BootStackTop());
        boot.UseKernelStack((ulong)LinkerSymbols.BootStackTop());

        string test = CommandLine.Get("test");
        if (test != null)
        {
            Tests.KernelTestRunner.Run(test);     // reports its verdict and powers off
            return;
        }

        Console.WriteLine("TeachOS is up. There is no user space yet; what you type is echoed.");
        Console.WriteLine("(In QEMU: press Ctrl-A then X to quit.)");
        while (true)
        {
            if (ConsoleInput.TryTake(out byte typed)) Console.Write((char)typed);
            else Cpu.EnableInterruptsAndHalt();
        }
    }
}
