using TeachOS;

/// <summary>
/// hog [KIB]: a memory hog, for trying memory.max (docs/guide/11-cgroups.md). It grows its heap KIB
/// kibibytes at a time (default 256) with sbrk, writing to every page so that each really takes a
/// frame, until sbrk says no; then prints how much it got and why it stopped, and exits 0. In a group
/// with memory.max set (`cgexec box hog`) it stops at the group's limit with ENOMEM, while the rest of
/// the system goes on; outside any limit it stops at the kernel's own reserve (kernel/Mem/MemoryBudget.cs).
/// </summary>
public static unsafe class Hog
{
    private const int PageSize = 4096;

    public static int Main(string[] args)
    {
        long step = 256;
        if (args.Length > 0 && (!System.Number.TryParse(args[0], out step) || step < 4 || step > 1 << 20))
        {
            Console.Error("usage: hog [KIB]   (4 to 1048576 KiB a step)\n");
            return 2;
        }
        step *= 1024;
        long total = 0, result;
        while ((result = Sys.Sbrk(step)) >= 0)
        {
            byte* start = (byte*)result;
            for (long offset = 0; offset < step; offset += PageSize) start[offset] = 1;   // touch: a frame now
            total += step;
        }
        Console.WriteLine("hog: " + (total / 1024) + " KiB, then sbrk: " + Sys.ErrorName(result));
        return 0;
    }
}
