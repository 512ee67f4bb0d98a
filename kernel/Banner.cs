using Arch.X64;
using Boot;
using Terminal;

/// <summary>The first lines the kernel prints: who it is, on what CPU, with how much memory, told what.</summary>
public static class Banner
{
    public static void Print()
    {
        Console.WriteLine($"TeachOS {KernelVersion.Text} (x86-64, C# compiled ahead of time by NativeAOT)");
        Console.WriteLine($"cpu: {CpuIdentity.Vendor()}, {CpuIdentity.Model()}");
        Console.WriteLine($"memory: {BootInfo.UsableBytes / (1024 * 1024)} MiB usable in {BootInfo.RegionCount} regions");
        string modules = BootInfo.ModuleCount == 1 ? "module" : "modules";
        Console.WriteLine($"boot: {BootInfo.LoaderName} (Multiboot {BootInfo.MultibootVersion}), {BootInfo.ModuleCount} {modules}");
        Console.WriteLine($"cmdline: {BootInfo.CommandLine}");
    }
}
