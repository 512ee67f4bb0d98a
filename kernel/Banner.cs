using Arch.X64;
using Boot;
using Terminal;

/// <summary>The first lines the kernel prints: who it is, on what CPU, with how much memory, told what.</summary>
public static class Banner
{
    public static void Print()
    {
        Console.Write("TeachOS ");
        Console.Write(KernelVersion.Text);
        Console.WriteLine(" (x86-64, C# compiled ahead of time by NativeAOT)");

        Console.Write("cpu: ");
        Console.Write(CpuIdentity.Vendor());
        Console.Write(", ");
        Console.WriteLine(CpuIdentity.Model());

        Console.Write("memory: ");
        Console.WriteDecimal(BootInfo.UsableBytes / (1024 * 1024));
        Console.Write(" MiB usable in ");
        Console.WriteDecimal(BootInfo.RegionCount);
        Console.WriteLine(" regions");

        Console.Write("boot: ");
        Console.Write(BootInfo.LoaderName);
        Console.Write(" (Multiboot ");
        Console.WriteDecimal(BootInfo.MultibootVersion);
        Console.Write("), ");
        Console.WriteDecimal(BootInfo.ModuleCount);
        Console.WriteLine(BootInfo.ModuleCount == 1 ? " module" : " modules");

        Console.Write("cmdline: ");
        Console.WriteLine(BootInfo.CommandLine);
    }
}
