using Abi;
using TeachOS;

/// <summary>
/// unshare [-i] [-U] [-r] [-m] [-u] [-p] [-f] PROGRAM ARGS...: runs PROGRAM in new namespaces
/// (kernel/Proc/ProcessNamespaces.cs): -i a new IPC namespace, where no message queue of the caller's can be
/// named; -U a new user namespace (its maps unwritten: the caller's ids show as 65534); -r a new user
/// namespace with root inside mapped to the caller's own uid and gid outside (Linux's --map-root-user): a
/// user becomes root of its namespace, over its own files only; -u a new UTS namespace, a private copy of
/// the host name; -m a new mount namespace, a private copy of the mount table (kernel/Fs/Vfs/MountNamespace.cs:
/// what `mount` and `umount` do inside is not seen outside); -p a new PID namespace for the children (kernel/Namespaces/PidNamespace.cs). unshare calls
/// the syscall, then execs PROGRAM, which keeps the namespaces and passes them on to its children. A new PID
/// namespace holds the caller's children, not the caller: with -f (--fork, as Linux's unshare) unshare
/// forks, the child execs PROGRAM as the namespace's pid 1, and unshare waits for it and exits with its
/// status. -n (network): a network stack of its own, with only its loopback (kernel/Net/NetworkNamespaces.cs). `unshare -r -i sh`: a shell as root of its own; `unshare -p -u -f sh`: a shell that is pid 1,
/// with a host name of its own; `unshare -m sh`, then `mount -t tmpfs none /tmp`: a /tmp of its own.
/// </summary>
public static class UnshareProgram
{
    public static int Main(string[] args)
    {
        int flags = 0, first = 0;
        bool mapRoot = false, fork = false;
        for (; first < args.Length && args[first].Length >= 2 && args[first][0] == '-'; first++)
        {
            if (args[first] == "--fork") { fork = true; continue; }
            if (args[first].Length != 2) return Usage();
            switch (args[first][1])
            {
                case 'i': flags |= NamespaceFlags.Ipc; break;
                case 'U': flags |= NamespaceFlags.User; break;
                case 'r': flags |= NamespaceFlags.User; mapRoot = true; break;
                case 'm': flags |= NamespaceFlags.Mount; break;
                case 'u': flags |= NamespaceFlags.Uts; break;
                case 'p': flags |= NamespaceFlags.Pid; break;
                case 'n': flags |= NamespaceFlags.Network; break;
                case 'f': fork = true; break;
                default: return Usage();
            }
        }
        if (first == args.Length) return Usage();
        // Who we are outside, read before the new namespace hides it.
        int user = (int)Sys.GetEffectiveUserId(), group = (int)Sys.GetEffectiveGroupId();
        long result = Sys.Unshare(flags);
        if (result < 0) return Fail("unshare", result);
        if (mapRoot)
        {
            result = Sys.WriteIdMap(0, IdMapKind.Users, 0, user, 1);
            if (result < 0) return Fail("uid map", result);
            result = Sys.WriteIdMap(0, IdMapKind.Groups, 0, group, 1);
            if (result < 0) return Fail("gid map", result);
        }
        string[] command = new string[args.Length - first];
        for (int i = 0; i < command.Length; i++) command[i] = args[first + i];
        if (!fork) return Run(command);

        long child = Sys.Fork();
        if (child == 0) return Run(command);
        if (child < 0) return Fail("fork", child);
        return Sys.Wait((int)child, out int status) == child ? status : 1;
    }

    private static int Run(string[] command)
    {
        string program = command[0];
        string path = program.Contains('/') ? program : "/bin/" + program;
        long failed = Sys.Exec(path, command);
        Files.ReportError("unshare", program, failed);
        return 127;
    }

    private static int Fail(string what, long error)
    {
        Files.ReportError("unshare", what, error);
        return 1;
    }

    private static int Usage()
    {
        Console.Error("usage: unshare [-i] [-U] [-r] [-m] [-u] [-p] [-n] [-f|--fork] PROGRAM ARGS...\n");
        return 2;
    }
}
