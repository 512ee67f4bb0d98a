using System;
using Abi;
using TeachOS;

/// <summary>
/// `ctr run`: a container is a process. ctr makes the container's folder (ROOT/containers/NAME: `upper`, its
/// writable layer; `work`, the overlay's scratch space; `merged`, where the tree appears; `l/`, short names
/// for the image's layers), then forks. The child, step by step:
///   1. joins a control group of its own, /sys/fs/cgroup/ctr-NAME, with the limits given (Cgroups/);
///   2. unshares the mount, UTS, IPC and PID namespaces (chapter 10; Proc/ProcessNamespaces.cs), and with
///      `--net bridge` the network namespace, which ctr plugs into the bridge ctr0 (ContainerNetwork.cs);
///   3. mounts an overlay of the image's layers, with upper on top, at merged (Fs/Overlay/), in its own
///      mount table only, so no other process sees it;
///   4. binds /dev and the volumes (-v) into it;
///   5. sets the host name in its new UTS namespace;
///   6. pivot_root makes merged its root, and the old root is unmounted: the host's files are gone;
///   7. forks the command, which is pid 1 of the new PID namespace (in the image's WorkingDir, with its Env),
///      tells ctr its pid (as the host numbers it, on a pipe) and waits for it.
/// ctr itself waits for the child, and records the state (ContainerState.cs: `state`, `init-pid`) for `ctr ps`,
/// `ctr exec`, `ctr stop` and `ctr rm`.
/// </summary>
public static class ContainerRun
{
    public const string CgroupRoot = "/sys/fs/cgroup";
    private const string OldRoot = ".old";

    public static int Run(string root, RunOptions options)
    {
        string[] layers = ImageStore.Layers(root, options.Image);
        if (layers == null) return Fail("no image " + options.Image + " (ctr images import it first)");
        string problem;
        ImageConfig config = ImageConfig.Read(root + "/images/" + options.Image + "/config.json", out problem);
        if (config == null) return Fail(problem);
        string[] command = config.CommandFor(options.Command);
        if (command.Length == 0) return Fail("the image has no Cmd: give a command");

        string folder = root + "/containers/" + options.Name;
        if (FileTree.Exists(folder)) return Fail("a container " + options.Name + " exists already (ctr rm it)");
        long result = MakeFolders(root, folder, layers);
        if (result < 0) return Fail(folder + ": " + Sys.ErrorName(result));
        Files.WriteAllText(folder + "/image", options.Image + "\n");

        ContainerNetwork network = null;
        if (options.BridgeNetwork)
        {
            network = ContainerNetwork.Prepare(out problem);
            if (network == null) return Fail(problem);
        }
        // A pipe on which the child reports pid 1's number once the container is whole: the child cannot
        // write it into the container's folder itself, since after pivot_root that folder is out of its sight
        // (and a file kept open there would keep the old root busy).
        result = Sys.Pipe(out PipeDescriptors started);
        if (result < 0) return Fail("pipe: " + Sys.ErrorName(result));
        long child = Sys.Fork();
        if (child == 0)
        {
            Sys.Close(started.Read);
            Sys.Exit(InsideTheContainer(folder, options, config, command, layers.Length, started.Write, network));
        }
        Sys.Close(started.Write);
        if (child < 0) { Sys.Close(started.Read); return Fail("fork: " + Sys.ErrorName(child)); }
        if (network != null)
        {
            result = network.PlugIn(child);
            if (result < 0) Fail("--net bridge: " + Sys.ErrorName(result));        // the child gives up too
        }
        ContainerState.Write(folder, "running " + child);
        string initPid = ReadLine(started.Read);       // empty when the container could not be made
        Sys.Close(started.Read);
        if (initPid.Length > 0) Files.WriteAllText(folder + "/" + ContainerState.InitPidFile, initPid + "\n");
        int status;
        Sys.Wait((int)child, out status);
        ContainerState.Write(folder, "exited " + status);
        return status;
    }

    /// <summary>
    /// upper, work, merged, and l/0, l/1...: symbolic links to the image's layers in the store, bottom
    /// first. The overlay's options name the layers through them: mount's data is a string of at most 255
    /// bytes, and a store path is 80 (Docker's overlay2 keeps a folder `l/` of short links for the same
    /// reason: Linux limits mount data to a page).
    /// </summary>
    private static long MakeFolders(string root, string folder, string[] layers)
    {
        long result = FileTree.MakeAll(folder + "/l");
        if (result == 0) result = Sys.MakeDirectory(folder + "/upper");
        if (result == 0) result = Sys.MakeDirectory(folder + "/work");
        if (result == 0) result = Sys.MakeDirectory(folder + "/merged");
        for (int i = 0; result == 0 && i < layers.Length; i++)
            result = Sys.SymbolicLink(ImageStore.LayerFolder(root, layers[i]), folder + "/l/" + i);
        return result;
    }

    // Runs in the forked child: the exit status is the command's, or 125 when the container could not be made.
    private static int InsideTheContainer(string folder, RunOptions options, ImageConfig config, string[] command, int layerCount, int started,
        ContainerNetwork network)
    {
        string name = options.Name;
        if (!JoinControlGroup(name, options)) return 125;
        int namespaces = NamespaceFlags.Mount | NamespaceFlags.Uts | NamespaceFlags.Ipc | NamespaceFlags.Pid;
        long result = Sys.Unshare(network != null ? namespaces | NamespaceFlags.Network : namespaces);
        if (result < 0) return Step("unshare", result);
        if (network != null)
        {
            result = network.ConfigureInside();
            if (result < 0) return Step("--net bridge", result);
        }
        result = Sys.ChangeDirectory(folder);
        if (result < 0) return Step(folder, result);

        // lowerdir lists the uppermost lower layer first: the image's last layer, down to its first.
        string lower = "";
        for (int i = layerCount - 1; i >= 0; i--) lower += (lower.Length > 0 ? ":" : "") + "l/" + i;
        result = Sys.Mount("none", "merged", "overlay", 0, "lowerdir=" + lower + ",upperdir=upper,workdir=work");
        if (result < 0) return Step("mount overlay", result);

        result = BindInto("/dev", "/dev");
        for (int v = 0; result >= 0 && v < options.VolumeCount; v++) result = BindInto(options.VolumeSources[v], options.VolumeTargets[v]);
        if (result < 0) return 125;

        string hostname = options.Hostname ?? config.Hostname ?? name;
        result = HostName.Set(hostname);
        if (result < 0) return Step("sethostname " + hostname, result);

        result = PivotIntoMerged();
        if (result < 0) return 125;

        long pid = Sys.Fork();
        if (pid == 0)
        {
            // pid 1 of the container's PID namespace. The pipe to ctr is not the container's.
            Sys.Close(started);
            Sys.ChangeDirectory(config.WorkingDir);
            string program = command[0].Contains('/') ? command[0] : "/bin/" + command[0];
            long failed = Sys.ExecWithEnvironment(program, command, config.Env);
            Files.ReportError("ctr run", command[0], failed);
            Sys.Exit(127);
        }
        if (pid < 0) return Step("fork", pid);
        Console.WriteTo(started, pid + "\n");       // as this process, outside the new namespace, numbers it
        Sys.Close(started);
        int status;
        Sys.Wait((int)pid, out status);
        return status;
    }

    /// <summary>
    /// A control group of the container's own, its limits written, and this process moved into it. Without
    /// /sys/fs/cgroup a container still runs, but not with limits it could not keep.
    /// </summary>
    private static bool JoinControlGroup(string name, RunOptions options)
    {
        bool limited = options.PidsMax != null || options.MemoryMax != null || options.CpuMax != null;
        if (!FileTree.Exists(CgroupRoot))
        {
            if (limited) Step(CgroupRoot + ": no control groups for the limits", -Errno.ENOENT);
            return !limited;
        }
        string group = CgroupRoot + "/ctr-" + name;
        long result = Sys.MakeDirectory(group);
        if (result < 0 && result != -Errno.EEXIST) { Step(group, result); return false; }
        if (options.PidsMax != null && !WriteLimit(group + "/pids.max", options.PidsMax)) return false;
        if (options.MemoryMax != null && !WriteLimit(group + "/memory.max", options.MemoryMax)) return false;
        if (options.CpuMax != null && !WriteLimit(group + "/cpu.max", options.CpuMax)) return false;
        return WriteLimit(group + "/cgroup.procs", "0");   // 0: the writer itself, as Linux reads it
    }

    private static bool WriteLimit(string file, string value)
    {
        long result = Files.WriteAllText(file, value + "\n");
        if (result < 0) Step(file + " " + value, result);
        return result >= 0;
    }

    /// <summary>Binds a host folder at a path inside the container (made if missing: in the upper layer).</summary>
    private static long BindInto(string source, string target)
    {
        string inside = "merged" + target;
        long result = FileTree.MakeAll(inside);
        if (result == 0) result = Sys.Mount(source, inside, "", MountFlags.Bind, "");
        if (result < 0) Step("bind " + source + " at " + target, result);
        return result;
    }

    /// <summary>
    /// pivot_root(".", ".old") from inside merged: merged becomes "/", the old root hangs at /.old. Then every
    /// mount under /.old (the host's /dev, /disk, /sys/fs/cgroup...) is unmounted, deepest first, and /.old
    /// itself: from now on no path leads out of the container. (chroot would only move "/" for path lookups:
    /// the old mounts stay reachable, as chapter 10 shows.)
    /// </summary>
    private static long PivotIntoMerged()
    {
        long result = Sys.ChangeDirectory("merged");
        if (result == 0) { result = Sys.MakeDirectory(OldRoot); if (result == -Errno.EEXIST) result = 0; }
        if (result == 0) result = Sys.PivotRoot(".", OldRoot);
        if (result == 0) result = Sys.ChangeDirectory("/");
        if (result < 0) { Step("pivot_root", result); return result; }
        string[] targets = OldMounts();
        for (int i = 0; i < targets.Length; i++)
        {
            result = Sys.Unmount(targets[i]);
            if (result < 0) { Step("umount " + targets[i], result); return result; }
        }
        Sys.RemoveDirectory("/" + OldRoot);
        return 0;
    }

    /// <summary>The mount points at or under /.old, longest path first (a mount before the one it sits on).</summary>
    private static unsafe string[] OldMounts()
    {
        string[] targets = new string[16];
        int count = 0;
        MountInfo info;
        for (int index = 0; Sys.ReadMount(index, out info) == 1; index++)
        {
            string target = string.FromAscii(info.Target, info.TargetLength);
            if (target != "/" + OldRoot && !target.StartsWith("/" + OldRoot + "/")) continue;
            if (count == targets.Length) Array.Resize(ref targets, count * 2);
            targets[count++] = target;
        }
        for (int i = 1; i < count; i++)
            for (int j = i; j > 0 && targets[j].Length > targets[j - 1].Length; j--)
            { string swap = targets[j]; targets[j] = targets[j - 1]; targets[j - 1] = swap; }
        Array.Resize(ref targets, count);
        return targets;
    }

    /// <summary>The bytes up to a newline or the end, one at a time: the rest of the pipe is not ours to take.</summary>
    private static unsafe string ReadLine(int descriptor)
    {
        byte* buffer = stackalloc byte[32];
        int length = 0;
        while (length < 32 && Sys.Read(descriptor, new Span<byte>(buffer + length, 1)) == 1 && buffer[length] != '\n') length++;
        return string.FromAscii(buffer, length);
    }

    private static int Step(string what, long error)
    {
        Files.ReportError("ctr run", what, error);
        return 125;
    }

    private static int Fail(string problem)
    {
        Console.Error("ctr run: " + problem + "\n");
        return 125;
    }
}
