using Abi;
using TeachOS;

/// <summary>
/// cgexec GROUP PROGRAM ARGS...: runs PROGRAM inside the control group GROUP (a path under
/// /sys/fs/cgroup, such as `box` or `box/inner`). It writes its own pid to the group's cgroup.procs,
/// which moves it (kernel/Cgroups/ControlGroupTree.cs Move), then execs PROGRAM, which stays in the
/// group, as do its children. The same as `echo $$ > /sys/fs/cgroup/GROUP/cgroup.procs` followed by
/// exec in a shell that has $$: TeachOS's shell has neither, so this program does both steps.
/// </summary>
public static class ControlGroupExec
{
    private const string Root = "/sys/fs/cgroup/";

    public static int Main(string[] args)
    {
        if (args.Length < 2) { Console.Error("usage: cgexec GROUP PROGRAM ARGS...\n"); return 2; }
        string procs = Root + args[0] + "/cgroup.procs";
        long moved = WritePid(procs);
        if (moved < 0) { Files.ReportError("cgexec", procs, moved); return 1; }
        string[] command = new string[args.Length - 1];
        for (int i = 1; i < args.Length; i++) command[i - 1] = args[i];
        string program = command[0];
        string path = program.Contains('/') ? program : "/bin/" + program;
        long failed = Sys.Exec(path, command);
        Files.ReportError("cgexec", program, failed);
        return 127;
    }

    // One write of "PID\n", as echo would make it; the kernel's answer (EPERM, ESRCH, ENODEV) unchanged.
    private static long WritePid(string procs)
    {
        long descriptor = Sys.Open(procs, OpenFlags.WriteOnly);
        if (descriptor < 0) return descriptor;
        string text = Sys.GetPid().ToString() + "\n";
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
        long written = Sys.Write((int)descriptor, bytes);
        Sys.Close((int)descriptor);
        return written < 0 ? written : 0;
    }
}
