using System.Runtime;
using Boot;
using Drivers;
using Internal.Runtime.CompilerHelpers;
using Mem;

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

        string test = CommandLine.Get("test");
        if (test != null)
        {
            Tests.KernelTestRunner.Run(test);     // reports its verdict and powers off
            return;
        }

        Console.WriteLine("TeachOS is up. There is no user space yet: the kernel halts here.");
        Console.WriteLine("(In QEMU: press Ctrl-A then X to quit.)");
        while (true) Arch.X64.Cpu.Halt();
    }
}
