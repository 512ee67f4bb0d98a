using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for `ctr run` (userland/Programs/ctr/ContainerRun.cs): a container that writes a file
/// writes it into its own writable layer, not into the image's read-only layer, and a second container of
/// the same image does not see it; a volume (-v) is the host's folder, whose files outlive `ctr rm`; `ctr ps`
/// and `ctr rm` see and remove the containers, and the image's layer stays. A store of its own under /tmp.
/// </summary>
public static unsafe partial class UserTests
{
    private const string RunStoreRoot = "/tmp/ut-run";

    private static void ContainerRunWritesItsOwnLayer()
    {
        string output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "images", "import", "/images/base.tar" }, out int status);
        Expect(status, 0, "import base: " + output);
        string[] layers = FirstLines(Files.ReadAllText(RunStoreRoot + "/images/base/layers", out long _));
        Check(layers.Length == 1, "base has one layer");
        if (layers.Length != 1) return;
        string layer = RunStoreRoot + "/layers/" + layers[0].Substring(7, 56);

        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-w1", "base", "sh", "-c", "echo written > /written.txt" }, out status);
        Expect(status, 0, "ctr run base sh -c 'echo written > /written.txt': " + output);
        ExpectFile(RunStoreRoot + "/containers/ut-w1/upper/written.txt", "written\n", "the file is in the container's writable layer");
        Check(Sys.LinkStatus(layer + "/written.txt", out FileStatus _) < 0, "and not in the image's layer");

        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-w2", "base", "cat", "/written.txt" }, out status);
        Check(status != 0 && output.Contains("ENOENT"), "a second container of the image does not see it: " + output);
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-w3", "base", "cat", "/etc/motd" }, out status);
        Check(status == 0 && output.Contains("base image"), "it sees the image's own files: " + output);
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-w4", "base", "ls", "/" }, out status);
        Check(status == 0 && !output.Contains("tmp") && !output.Contains("disk") && !output.Contains("images"), "its root is the image's tree, not the host's: " + output);

        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-h", "--hostname", "box", "base", "hostname" }, out status);
        Check(status == 0 && output == "box\n", "--hostname box: the container's own UTS name: " + output);
        Check(HostName.Get() != "box", "while the host keeps its own");

        // The container's group: the waiting ctr and sh are two tasks, so a third (ls) is refused at pids.max 2.
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-p2", "--pids-max", "2", "base", "sh", "-c", "ls" }, out status);
        Check(output.Contains("EAGAIN"), "--pids-max 2: sh cannot start ls: " + output);
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-p3", "--pids-max", "3", "base", "sh", "-c", "ls" }, out status);
        Check(status == 0 && output.Contains("bin"), "--pids-max 3: it can: " + output);
        CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-bad", "--pids-max", "lots", "base", "true" }, out status);
        Expect(status, 125, "a limit the group refuses stops the container before it starts");
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-c", "--cpus", "0.5", "base", "true" }, out status);
        Expect(status, 0, "ctr run --cpus 0.5: " + output);
        ExpectFile("/sys/fs/cgroup/ctr-ut-c/cpu.max", "50000 100000\n", "--cpus 0.5: half of each 100 ms period, as docker writes it");
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-c0", "--cpus", "0.001", "base", "true" }, out status);
        Check(status != 0 && Sys.PathStatus("/sys/fs/cgroup/ctr-ut-c0", out FileStatus _) < 0, "--cpus 0.001 (under cpu.max's 1 ms) is refused before anything is made: " + output);

        Sys.MakeDirectory("/tmp/ut-volume");
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "run", "--name", "ut-v", "-v", "/tmp/ut-volume:/data", "base", "sh", "-c", "echo kept > /data/v.txt" }, out status);
        Expect(status, 0, "ctr run -v /tmp/ut-volume:/data: " + output);

        output = Capture("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "ps" }, out status);
        Check(output.Contains("ut-w1") && output.Contains("exited 0"), "ctr ps lists ut-w1, exited 0: " + output);
        string[] names = { "ut-w1", "ut-w2", "ut-w3", "ut-w4", "ut-h", "ut-p2", "ut-p3", "ut-bad", "ut-c", "ut-v" };
        for (int i = 0; i < names.Length; i++)
        {
            Capture("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "rm", names[i] }, out status);
            Expect(status, 0, "ctr rm " + names[i]);
        }
        Expect(CountNames(RunStoreRoot + "/containers"), 0, "no container left, no writable layer");
        Check(Sys.PathStatus("/sys/fs/cgroup/ctr-ut-p2", out FileStatus _) < 0, "nor its control group");
        Check(Sys.PathStatus(layer + "/bin/sh", out FileStatus _) == 0, "the image's layer stays");
        ExpectFile("/tmp/ut-volume/v.txt", "kept\n", "the volume's file outlives its container");
        Sys.Unlink("/tmp/ut-volume/v.txt");
        Sys.RemoveDirectory("/tmp/ut-volume");
        Capture("/bin/ctr", new[] { "ctr", "--root", RunStoreRoot, "images", "rm", "base" }, out status);
        Sys.RemoveDirectory(RunStoreRoot + "/containers");
        RemoveEmptyStore(RunStoreRoot);
    }

    private static void ExpectFile(string path, string contents, string what)
    {
        string text = Files.ReadAllText(path, out long error);
        Check(text == contents, what + " (" + path + ": " + (text ?? Sys.ErrorName(error)) + ")");
    }
}
