using System;
using Abi;
using TeachOS;

/// <summary>
/// bench's figures for containers (docs/guide/12-containers.md), `bench containers`: what `ctr run` adds
/// to starting a program, and the frames containers of one image take. The image is base
/// (/images/base.tar), imported into a store of bench's own in memory (/tmp/bench-ctr), so that the
/// layers and each container's upper layer are frames of the in-memory file system, which free memory counts.
/// </summary>
public static unsafe partial class Bench
{
    private const string ContainerStore = "/tmp/bench-ctr";

    private static int ContainerFigures()
    {
        long beforeImport = FreePages();
        if (Ctr(new[] { "images", "import", "/images/base.tar" }) != 0) { Console.WriteLine("bench: ctr images import /images/base.tar failed: no container figures"); return 1; }
        long imageFrames = beforeImport - FreePages();
        Report("container-image-frames", (ulong)imageFrames, "frames the imported image takes in the store (its unpacked layer, blobs, config)");
        ContainerStartToFirstOutput();
        FramesOfContainers(imageFrames);
        return 0;
    }

    // `ctr --root /tmp/bench-ctr ARGS...`, its output to bench's own; its exit status.
    private static int Ctr(string[] arguments)
    {
        string[] all = new string[arguments.Length + 3];
        all[0] = "ctr"; all[1] = "--root"; all[2] = ContainerStore;
        for (int i = 0; i < arguments.Length; i++) all[3 + i] = arguments[i];
        long pid = Sys.Spawn("/bin/ctr", all, 0, 1, 2);
        if (pid < 0) return -1;
        Sys.Wait((int)pid, out int status);
        return status;
    }

    /// <summary>
    /// From spawn to the first byte of `echo x`'s output on a pipe, for `ctr run base echo x` (the image's
    /// layers mounted as an overlay, new namespaces, a control group, pivot_root, then exec) and for
    /// /bin/echo spawned directly, in cycles (rdtsc: under TCG the host's clock, which the kernel's
    /// millisecond clock is not when the host is loaded). `ctr rm` (outside the timing) removes each
    /// container before the next.
    /// </summary>
    private static void ContainerStartToFirstOutput()
    {
        const int Rounds = 21;
        ulong[] contained = new ulong[Rounds], direct = new ulong[Rounds];
        for (int i = 0; i < Rounds; i++)
        {
            contained[i] = CyclesToFirstOutput("/bin/ctr", new[] { "ctr", "--root", ContainerStore, "run", "--name", "bench-start", "base", "echo", "x" });
            Ctr(new[] { "rm", "bench-start" });
            direct[i] = CyclesToFirstOutput("/bin/echo", new[] { "echo", "x" });
        }
        ulong containedMedian = Timestamp.Median(contained, Rounds), directMedian = Timestamp.Median(direct, Rounds);
        Report("container-run-to-first-output", containedMedian, "cycles (ctr run base echo x: spawn to the first byte of its output, median of " + Rounds + ")");
        Report("spawn-to-first-output", directMedian, "cycles (spawn of /bin/echo x to its first byte, median of " + Rounds + ")");
        Report("container-run-to-first-output-ratio", containedMedian * 100 / (directMedian == 0 ? 1 : directMedian), "percent of spawn's");
    }

    // Spawns `path` with its output on a pipe; the cycles from the spawn to the first byte read there,
    // after which the program is read to its end and waited for.
    private static ulong CyclesToFirstOutput(string path, string[] arguments)
    {
        Sys.Pipe(out PipeDescriptors output);
        byte* one = stackalloc byte[1];
        ulong start = Timestamp.Read();
        long pid = Sys.Spawn(path, arguments, 0, output.Write, 2);
        Sys.Close(output.Write);
        long got = Sys.Read(output.Read, new Span<byte>(one, 1));
        ulong elapsed = Timestamp.Read() - start;
        while (got > 0) got = Sys.Read(output.Read, new Span<byte>(one, 1));
        Sys.Close(output.Read);
        if (pid > 0) Sys.Wait((int)pid, out int status);
        return elapsed;
    }

    /// <summary>
    /// Free frames (counted by `bench free`, Fork.cs) before any container, with one `ctr run base sleep`
    /// alive, and with ten. Each container costs its `ctr run` (which waits for it), its pid 1, its
    /// namespaces, control group and overlay mount, and its upper layer; the image's layer is in the store
    /// once, shared by all ten, so the tenth costs what the second does.
    /// </summary>
    private static void FramesOfContainers(long imageFrames)
    {
        const int Count = 10;
        long before = FreePages();
        long[] runners = new long[Count];
        long withOne = 0;
        int started = 0;
        for (int i = 0; i < Count; i++)
        {
            runners[i] = Sys.Spawn("/bin/ctr", new[] { "ctr", "--root", ContainerStore, "run", "--name", "bench-mem-" + i, "base", "sleep", "600000" }, 0, 1, 2);
            if (runners[i] < 0 || !ContainerRunning("bench-mem-" + i)) break;
            started++;
            if (i == 0) withOne = FreePages();
        }
        long withAll = FreePages();
        for (int i = 0; i < Count; i++)
        {
            if (runners[i] < 0) continue;
            Ctr(new[] { "stop", "bench-mem-" + i, "-t", "1" });
            Sys.Wait((int)runners[i], out int status);
            Ctr(new[] { "rm", "bench-mem-" + i });
        }
        if (started != Count) { Console.WriteLine("bench: only " + started + " containers started: no frame figures"); return; }
        Report("container-1-frames", (ulong)(before - withOne), "frames taken while one ctr run base sleep lives (ctr run, pid 1, namespaces, cgroup, overlay, upper layer)");
        Report("container-10-frames", (ulong)(before - withAll), "frames taken while ten of the same image live");
        Report("container-next-frames", (ulong)((withOne - withAll) / (Count - 1)), "frames each of the 2nd to 10th adds (all ten share the store's layer: a copy of the image each would add " + imageFrames + " frames to every one)");
    }

    // Whether container NAME's pid 1 is recorded (ctr run writes init-pid once the container is whole), within 10 s.
    private static bool ContainerRunning(string name)
    {
        string file = ContainerStore + "/containers/" + name + "/init-pid";
        for (int i = 0; i < 500; i++)
        {
            string text = Files.ReadAllText(file, out long _);
            if (text != null && text.Length > 0) return true;
            Sys.Sleep(20);
        }
        return false;
    }
}
