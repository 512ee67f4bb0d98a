using Abi;
using TeachOS;

/// <summary>
/// `ctr exec NAME CMD...`: one more process in a running container, Docker's `docker exec`. A container is
/// not a place but a set of namespaces and a control group, so entering it is joining them, in this order:
///   1. the container's control group (cgroup.procs): its limits and accounting cover the new process too;
///      done first, while /sys/fs/cgroup is still in sight;
///   2. every namespace its pid 1 has, with setns (flags 0: all the kinds TeachOS has, so a kind added later,
///      the network namespace, is joined with the others): its mount table (and so its root: "/" is the
///      merged image), host name, message queues, and the PID namespace for the children to come;
///   3. the image's working folder, found from the new root;
///   4. fork: the child is born in the container's PID namespace (a process never changes its own pid),
///      and runs the command, with the image's Env, attached to ctr's terminal; ctr waits and passes its
///      exit status on.
/// The container's pid 1 is the one in ROOT/containers/NAME/init-pid, as the host numbers it.
/// </summary>
public static class ContainerExec
{
    public static int Exec(string root, string name, string[] command)
    {
        string problem;
        int initPid = ContainerState.InitPid(root, name, out problem);
        if (initPid == 0) return Fail(problem);
        string image = Files.ReadAllText(ContainerState.Folder(root, name) + "/image", out long _);
        ImageConfig config = image == null ? null : ImageConfig.Read(root + "/images/" + image.Trim() + "/config.json", out problem);
        string workingDir = config != null ? config.WorkingDir : "/";
        string[] environment = config != null ? config.Env : new string[0];

        string group = ContainerRun.CgroupRoot + "/ctr-" + name;
        if (FileTree.Exists(group))
        {
            long joined = Files.WriteAllText(group + "/cgroup.procs", "0\n");
            if (joined < 0) return Step(group + "/cgroup.procs", joined);
        }
        long result = Sys.SetNamespaces(initPid, 0);
        if (result == -Errno.ESRCH) return Fail(name + " is not running (its pid 1, " + initPid + ", is gone)");
        if (result < 0) return Step("setns " + initPid, result);
        result = Sys.ChangeDirectory(workingDir);
        if (result < 0) result = Sys.ChangeDirectory("/");
        if (result < 0) return Step("chdir /", result);

        long child = Sys.Fork();
        if (child == 0)
        {
            string program = command[0].Contains('/') ? command[0] : "/bin/" + command[0];
            long failed = Sys.ExecWithEnvironment(program, command, environment);
            Files.ReportError("ctr exec", command[0], failed);
            Sys.Exit(127);
        }
        if (child < 0) return Step("fork", child);
        int status;
        Sys.Wait((int)child, out status);
        return status;
    }

    private static int Step(string what, long error)
    {
        Files.ReportError("ctr exec", what, error);
        return 125;
    }

    private static int Fail(string problem)
    {
        Console.Error("ctr exec: " + problem + "\n");
        return 125;
    }
}
