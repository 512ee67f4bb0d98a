using Abi;
using TeachOS;

/// <summary>
/// ctr, TeachOS's container runtime (docs/guide/12-containers.md; its parts are in userland/Programs/ctr/):
///   ctr [--root DIR] images import DIR   check an OCI image layout (every digest, every tar entry) and
///                                        unpack its layers into the layer store
///   ctr [--root DIR] images ls           name, manifest digest, layers and size of each image
///   ctr [--root DIR] images rm NAME      the image, and its layers no other image shares
///   ctr [--root DIR] run [--name N] [-v HOSTDIR:CTRDIR] [--hostname H] [--pids-max N] [--memory-max BYTES] [--cpus N] [--net bridge] IMAGE [CMD...]
///                                        a process in new namespaces and a control group, on an overlay
///                                        of the image's layers and a writable layer (ContainerRun.cs)
///   ctr [--root DIR] ps                  the containers: name, image, state
///   ctr [--root DIR] exec NAME CMD...    one more process in a running container: its control group and
///                                        namespaces joined (ContainerExec.cs)
///   ctr [--root DIR] stop NAME [-t S]    kills the container's pid 1, waits up to S seconds (ContainerStop.cs)
///   ctr [--root DIR] commit NAME IMAGE   the container's writable layer as one more layer: a new image
///                                        (ContainerCommit.cs)
///   ctr [--root DIR] rm NAME             a stopped container and its writable layer
/// The store is ROOT (default /disk/var/lib/ctr, or /var/lib/ctr without a disk; ImageStore.cs).
/// </summary>
public static class CtrProgram
{
    public const string Usage =
        "usage: ctr [--root DIR] images import DIR|FILE | images ls | images rm NAME\n" +
        "       ctr [--root DIR] run [--name N] [-v HOSTDIR:CTRDIR] [--hostname H] [--pids-max N] [--memory-max BYTES] [--cpus N] [--net bridge] IMAGE [CMD...]\n" +
        "       ctr [--root DIR] exec NAME CMD... | stop NAME [-t SECONDS] | commit NAME NEWIMAGE\n" +
        "       ctr [--root DIR] ps | rm NAME\n";

    public static int Main(string[] args)
    {
        int first = 0;
        // On the disk, so that imported images outlive a reboot; in memory when there is no disk.
        string root = Sys.PathStatus("/disk", out FileStatus disk) == 0 && disk.Kind == 2 ? "/disk/var/lib/ctr" : "/var/lib/ctr";
        if (args.Length >= 2 && args[0] == "--root") { root = args[1]; first = 2; }
        int count = args.Length - first;
        if (count >= 2 && args[first] == "images")
        {
            string verb = args[first + 1];
            if (verb == "ls" && count == 2) return ImageStore.List(root);
            if (verb == "import" && count == 3) return NeedRoot("images import") ?? ImageStore.Import(root, args[first + 2]);
            if (verb == "rm" && count == 3) return NeedRoot("images rm") ?? ImageStore.Remove(root, args[first + 2]);
        }
        if (count >= 2 && args[first] == "run")
        {
            RunOptions options = RunOptions.Parse(args, first + 1, out string problem);
            if (options == null) { Console.Error("ctr run: " + problem + "\n" + Usage); return 2; }
            return NeedRoot("run") ?? ContainerRun.Run(root, options);
        }
        if (count == 1 && args[first] == "ps") return ContainerState.List(root);
        if (count == 2 && args[first] == "rm") return NeedRoot("rm") ?? ContainerState.Remove(root, args[first + 1]);
        if (count >= 3 && args[first] == "exec")
        {
            string[] command = new string[count - 2];
            for (int i = 0; i < command.Length; i++) command[i] = args[first + 2 + i];
            return NeedRoot("exec") ?? ContainerExec.Exec(root, args[first + 1], command);
        }
        if (count == 2 && args[first] == "stop") return NeedRoot("stop") ?? ContainerStop.Stop(root, args[first + 1], ContainerStop.DefaultSeconds);
        if (count == 4 && args[first] == "stop" && args[first + 2] == "-t")
        {
            if (!int.TryParse(args[first + 3], out int seconds) || seconds < 0 || seconds > 3600)
            { Console.Error("ctr stop: -t " + args[first + 3] + ": give whole seconds, 0 to 3600\n"); return 2; }
            return NeedRoot("stop") ?? ContainerStop.Stop(root, args[first + 1], seconds);
        }
        if (count == 3 && args[first] == "commit") return NeedRoot("commit") ?? ContainerCommit.Commit(root, args[first + 1], args[first + 2]);
        Console.Error(Usage);
        return 2;
    }

    /// <summary>The store's layers are root's and read-only: only root may add or remove them.</summary>
    private static int? NeedRoot(string what)
    {
        if (Sys.GetEffectiveUserId() == 0) return null;
        Console.Error("ctr: " + what + ": only root may change the layer store and make containers\n");
        return 1;
    }
}
