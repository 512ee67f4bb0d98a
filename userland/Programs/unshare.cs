using Abi;
using TeachOS;

/// <summary>
/// unshare [-i] PROGRAM ARGS...: runs PROGRAM in new namespaces (kernel/Namespaces/NamespaceSet.cs):
/// -i a new IPC namespace, where no message queue of the caller's can be named. unshare calls the
/// syscall, then execs PROGRAM, which keeps the new namespaces and passes them on to its children.
/// -m, -u, -p and -n (mount, UTS, PID, network) name flags the kernel reserves for containers and
/// refuses for now (EINVAL). `unshare -i sh` gives a shell with an empty queue table.
/// </summary>
public static class UnshareProgram
{
    public static int Main(string[] args)
    {
        int flags = 0, first = 0;
        for (; first < args.Length && args[first].Length == 2 && args[first][0] == '-'; first++)
        {
            switch (args[first][1])
            {
                case 'i': flags |= NamespaceFlags.Ipc; break;
                case 'm': flags |= NamespaceFlags.Mount; break;
                case 'u': flags |= NamespaceFlags.Uts; break;
                case 'p': flags |= NamespaceFlags.Pid; break;
                case 'n': flags |= NamespaceFlags.Network; break;
                default: return Usage();
            }
        }
        if (first == args.Length) return Usage();
        long result = Sys.Unshare(flags);
        if (result < 0)
        {
            Files.ReportError("unshare", "unshare", result);
            return 1;
        }
        string[] command = new string[args.Length - first];
        for (int i = 0; i < command.Length; i++) command[i] = args[first + i];
        string program = command[0];
        string path = program.Contains('/') ? program : "/bin/" + program;
        long failed = Sys.Exec(path, command);
        Files.ReportError("unshare", program, failed);
        return 127;
    }

    private static int Usage()
    {
        Console.Error("usage: unshare [-i] [-m] [-u] [-p] [-n] PROGRAM ARGS...\n");
        return 2;
    }
}
