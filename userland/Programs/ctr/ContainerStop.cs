using Abi;
using TeachOS;

/// <summary>
/// `ctr stop NAME [-t SECONDS]`: ends a running container by killing its pid 1 (the host's number for it,
/// ROOT/containers/NAME/init-pid). When a PID namespace's pid 1 exits, the kernel kills every other process
/// in it (Namespaces/PidNamespace.cs), so one kill ends the whole container; the `ctr run` that waits for it
/// then records "exited 137" (128 + 9, as if by SIGKILL). The writable layer stays until `ctr rm`, so a
/// stopped container can still be committed (ContainerCommit.cs).
///
/// Docker sends SIGTERM first, which a program may catch to finish its work, and SIGKILL only after the
/// timeout. TeachOS has no signals a program can catch: kill(2) is its only one, and it is SIGKILL's
/// (nothing can ignore or handle it). So stop kills at once, and -t (default 10 s) is how long it waits for
/// the container to be seen stopped, its state written by `ctr run`, before it gives up with an error.
/// </summary>
public static class ContainerStop
{
    public const int DefaultSeconds = 10;
    private const int PollMilliseconds = 20;

    public static int Stop(string root, string name, int seconds)
    {
        string problem;
        int initPid = ContainerState.InitPid(root, name, out problem);
        if (initPid == 0) return Fail(problem);
        long result = Sys.Kill(initPid);
        if (result < 0 && result != -Errno.ESRCH) { Files.ReportError("ctr stop", "kill " + initPid, result); return 1; }
        // ESRCH: pid 1 ended by itself meanwhile; either way ctr run is about to write the state.
        string stateFile = ContainerState.Folder(root, name) + "/state";
        for (long waited = 0; waited <= seconds * 1000L; waited += PollMilliseconds)
        {
            string state = Files.ReadAllText(stateFile, out long _);
            if (state != null && !state.StartsWith("running"))
            {
                Console.WriteLine("stopped " + name + " (" + state.Trim() + ")");
                return 0;
            }
            Sys.Sleep(PollMilliseconds);
        }
        return Fail(name + ": pid " + initPid + " was killed, but the container was not seen to stop within " + seconds + " s");
    }

    private static int Fail(string problem)
    {
        Console.Error("ctr stop: " + problem + "\n");
        return 1;
    }
}
