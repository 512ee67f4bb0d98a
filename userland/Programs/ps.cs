using Abi;
using TeachOS;

/// <summary>ps: every thread in the system, with its process, the user it runs as (real uid), state, CPU time and kernel-stack use.</summary>
public static unsafe class ProcessStatus
{
    private static readonly string[] StateNames = { "ready", "running", "blocked", "sleeping", "zombie" };

    public static int Main(string[] args)
    {
        Console.WriteLine("  PID   TID  PPID    UID  STATE     TICKS  KSTACK(used/size)  NAME");
        for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
        {
            string state = info.State >= 0 && info.State < StateNames.Length ? StateNames[info.State] : "?";
            string stack = info.KernelStackSize == 0 ? "boot stack" : info.KernelStackUsed + "/" + info.KernelStackSize;
            string name = string.FromAscii(info.Name, info.NameLength);
            Console.WriteLine(info.ProcessId.ToString().PadLeft(5) + info.ThreadId.ToString().PadLeft(6) +
                              info.ParentProcessId.ToString().PadLeft(6) + info.UserId.ToString().PadLeft(7) + "  " + state.PadRight(8) +
                              info.CpuTicks.ToString().PadLeft(7) + "  " + stack.PadRight(17) + "  " + name);
        }
        return 0;
    }
}
