using Abi;
using TeachOS;

/// <summary>
/// cpus: every logical CPU, where it sits (package, core, hyper-thread) and what it runs right now.
/// Two lines with the same package and core are SMT siblings: two hyper-threads sharing one core's
/// execution units. The cpus program itself shows up running on one of them.
/// </summary>
public static unsafe class Cpus
{
    public static int Main(string[] args)
    {
        Console.WriteLine("CPU  APIC  PACKAGE  CORE  SMT  BUSY%  READY  RUNNING");
        int count = 0;
        for (int index = 0; Sys.CpuInfo(index, out CpuInfo cpu) == 1; index++)
        {
            count++;
            long total = cpu.BusyTicks + cpu.IdleTicks;
            long busy = total == 0 ? 0 : cpu.BusyTicks * 100 / total;
            string running = cpu.RunningThreadId == 0
                ? "(idle)"
                : string.FromAscii(cpu.Name, cpu.NameLength) + " (pid " + cpu.RunningProcessId + ", tid " + cpu.RunningThreadId + ")";
            if (cpu.Online == 0) running = "(offline)";
            Console.WriteLine(cpu.Id.ToString().PadLeft(3) + cpu.ApicId.ToString().PadLeft(6) + cpu.Package.ToString().PadLeft(9) +
                              cpu.Core.ToString().PadLeft(6) + cpu.SmtThread.ToString().PadLeft(5) + busy.ToString().PadLeft(7) +
                              cpu.ReadyCount.ToString().PadLeft(7) + "  " + running);
        }
        Console.WriteLine(count + (count == 1 ? " logical CPU" : " logical CPUs"));
        return 0;
    }
}
