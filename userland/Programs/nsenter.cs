using Abi;
using TeachOS;

/// <summary>
/// nsenter -t PID [-m] [-u] [-i] [-p] [-n] PROGRAM ARGS...: runs PROGRAM in the namespaces of process PID (setns,
/// kernel/Proc/ProcessNamespaces.cs): -m its mount table, -u its host name, -i its message queues, -n its network
/// stack (interfaces, routes, ports: `nsenter -t 7 -n net` shows a container's addresses), -p its PID
/// namespace (for PROGRAM: nsenter forks after setns, since a process's own pid never changes; only its
/// children are born in the namespace joined). With no -m/-u/-i/-p/-n flag, all of them. Root of the target's user
/// namespace only (EPERM), as Linux's nsenter. `nsenter -t 7 -m -u sh`: a shell that sees a container's mounts
/// and host name.
/// </summary>
public static class NsenterProgram
{
    public static int Main(string[] args)
    {
        int flags = 0, pid = -1, first = 0;
        for (; first < args.Length && args[first].Length >= 2 && args[first][0] == '-'; first++)
        {
            string option = args[first];
            if (option == "-t" && first + 1 < args.Length && int.TryParse(args[first + 1], out pid)) { first++; continue; }
            if (option == "-m") flags |= NamespaceFlags.Mount;
            else if (option == "-u") flags |= NamespaceFlags.Uts;
            else if (option == "-i") flags |= NamespaceFlags.Ipc;
            else if (option == "-p") flags |= NamespaceFlags.Pid;
            else if (option == "-n") flags |= NamespaceFlags.Network;
            else return Usage();
        }
        if (pid <= 0 || first == args.Length) return Usage();
        long result = Sys.SetNamespaces(pid, flags);
        if (result < 0)
        {
            Files.ReportError("nsenter", "setns", result);
            return 1;
        }
        string[] command = new string[args.Length - first];
        for (int i = 0; i < command.Length; i++) command[i] = args[first + i];
        // A forked child is born in the joined PID namespace (if -p or all); nsenter waits and passes its status on.
        long child = Sys.Fork();
        if (child == 0) return Run(command);
        if (child < 0)
        {
            Files.ReportError("nsenter", "fork", child);
            return 1;
        }
        return Sys.Wait((int)child, out int status) == child ? status : 1;
    }

    private static int Run(string[] command)
    {
        string program = command[0];
        string path = program.Contains('/') ? program : "/bin/" + program;
        long failed = Sys.Exec(path, command);
        Files.ReportError("nsenter", program, failed);
        return 127;
    }

    private static int Usage()
    {
        Console.Error("usage: nsenter -t PID [-m] [-u] [-i] [-p] [-n] PROGRAM ARGS...\n");
        return 2;
    }
}
