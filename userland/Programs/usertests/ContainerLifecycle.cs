using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for a container's life after `ctr run` (userland/Programs/ctr/): `ctr exec` enters a
/// running container (its host name, its PID namespace: ps there shows the container's processes only, its
/// files, its exit status passed back), `ctr stop` ends one whose pid 1 would never exit by itself and keeps
/// its writable layer, and `ctr commit` makes that layer an image of its own, in which a file the container
/// wrote is there and one it deleted stays deleted (the whiteout travels in the layer). Then the refusals:
/// exec into a stopped or unknown container, stop of one not running, commit of an unknown container, to a
/// bad name or to a name taken. A store of its own under /tmp.
/// </summary>
public static unsafe partial class UserTests
{
    private const string LifeStoreRoot = "/tmp/ut-life";

    private static string Ctr(string[] arguments, out int status)
    {
        string[] all = new string[arguments.Length + 3];
        all[0] = "ctr";
        all[1] = "--root";
        all[2] = LifeStoreRoot;
        for (int i = 0; i < arguments.Length; i++) all[3 + i] = arguments[i];
        return CaptureAll("/bin/ctr", all, out status);
    }

    private static void ContainerExecStopCommit()
    {
        string output = Ctr(new[] { "images", "import", "/images/base.tar" }, out int status);
        Expect(status, 0, "import base: " + output);

        // A container whose pid 1 sleeps for ten minutes: it ends only if stopped.
        long runner = Sys.Spawn("/bin/ctr", new[] { "ctr", "--root", LifeStoreRoot, "run", "--name", "ut-life", "--hostname", "inside", "base", "sleep", "600000" },
                                Console.StandardInput, Console.StandardOutput, Console.StandardError);
        Check(runner > 0, "ctr run in the background");
        string initPidFile = LifeStoreRoot + "/containers/ut-life/init-pid";
        string initPid = null;
        for (int i = 0; i < 500 && (initPid == null || initPid.Length == 0); i++)
        {
            Sys.Sleep(20);
            initPid = Files.ReadAllText(initPidFile, out long _);
        }
        Check(initPid != null && initPid.Length > 0, "its pid 1 is recorded (init-pid)");

        output = Ctr(new[] { "exec", "ut-life", "hostname" }, out status);
        Check(status == 0 && output == "inside\n", "ctr exec hostname: the container's UTS name: " + output);
        output = Ctr(new[] { "exec", "ut-life", "ps" }, out status);
        Check(status == 0 && output.Contains("sleep") && !output.Contains("usertests") && output.Contains("\n    1 "),
              "ctr exec ps: the container's PID namespace, its pid 1 sleeping, nothing of the host: " + output);
        output = Ctr(new[] { "exec", "ut-life", "env" }, out status);
        Check(status == 0 && output == "PATH=/bin\n", "ctr exec gives the command the image's Env: " + output);
        output = Ctr(new[] { "exec", "ut-life", "sh", "-c", "exit 7" }, out status);
        Expect(status, 7, "ctr exec passes the command's exit status back: " + output);
        output = Ctr(new[] { "exec", "ut-life", "ls", "/" }, out status);
        Check(status == 0 && output.Contains("bin") && !output.Contains("tmp") && !output.Contains("images"), "ctr exec sees the container's root: " + output);
        output = Ctr(new[] { "exec", "ut-life", "sh", "-c", "echo committed > /etc/new.txt" }, out status);
        Expect(status, 0, "ctr exec writes a file: " + output);
        output = Ctr(new[] { "exec", "ut-life", "rm", "/etc/motd" }, out status);
        Expect(status, 0, "ctr exec deletes a file of the image: " + output);
        ExpectFile(LifeStoreRoot + "/containers/ut-life/upper/etc/new.txt", "committed\n", "into the container's writable layer");
        Check(Sys.LinkStatus(LifeStoreRoot + "/containers/ut-life/upper/etc/.wh.motd", out FileStatus _) == 0, "the deletion is a whiteout there");
        Check(Sys.PathStatus("/sys/fs/cgroup/ctr-ut-life", out FileStatus _) == 0, "the container has its control group");

        output = Ctr(new[] { "stop", "ut-life", "-t", "10" }, out status);
        Check(status == 0 && output.Contains("stopped ut-life"), "ctr stop ends a container whose pid 1 would sleep on: " + output);
        int runStatus = -1;
        Check(runner > 0 && Sys.Wait((int)runner, out runStatus) == runner, "the ctr run that waited for it returns");
        Expect(runStatus, 137, "with pid 1's status: killed");
        output = Capture("/bin/ctr", new[] { "ctr", "--root", LifeStoreRoot, "ps" }, out status);
        Check(output.Contains("ut-life") && output.Contains("exited 137"), "ctr ps: ut-life exited 137: " + output);
        ExpectFile(LifeStoreRoot + "/containers/ut-life/upper/etc/new.txt", "committed\n", "the stopped container keeps its writable layer");

        output = Ctr(new[] { "exec", "ut-life", "true" }, out status);
        Check(status != 0 && output.Contains("ut-life is not running"), "exec into a stopped container: refused, with why: " + output);
        output = Ctr(new[] { "exec", "no-such", "true" }, out status);
        Check(status != 0 && output.Contains("no container no-such"), "exec into an unknown container: " + output);
        output = Ctr(new[] { "exec", "../containers", "true" }, out status);
        Check(status != 0 && output.Contains("no container"), "exec into a name that is a path: " + output);
        output = Ctr(new[] { "stop", "ut-life" }, out status);
        Check(status != 0 && output.Contains("not running"), "stop of a stopped container: " + output);
        output = Ctr(new[] { "stop", "ut-life", "-t", "soon" }, out status);
        Check(status == 2 && output.Contains("whole seconds"), "stop -t with garbage: " + output);

        output = Ctr(new[] { "commit", "ut-life", "ut-committed" }, out status);
        Check(status == 0 && output.Contains("committed ut-life as ut-committed"), "ctr commit: " + output);
        string[] layers = FirstLines(Files.ReadAllText(LifeStoreRoot + "/images/ut-committed/layers", out long _));
        string[] baseLayers = FirstLines(Files.ReadAllText(LifeStoreRoot + "/images/base/layers", out long _));
        Check(layers.Length == 2 && baseLayers.Length == 1 && layers[0] == baseLayers[0], "the new image is base's layer, shared, and one more");
        if (layers.Length == 2)
        {
            string top = LifeStoreRoot + "/layers/" + layers[1].Substring(7, 56);
            ExpectFile(top + "/etc/new.txt", "committed\n", "the new layer holds the written file");
            Check(Sys.LinkStatus(top + "/etc/.wh.motd", out FileStatus _) == 0, "and the whiteout, as an OCI .wh. file");
        }
        string manifest = Files.ReadAllText(LifeStoreRoot + "/images/ut-committed/manifest.json", out long _);
        Check(manifest != null && layers.Length == 2 && manifest.Contains(layers[1]), "its manifest names the new layer by digest");
        output = Ctr(new[] { "run", "--name", "ut-after", "ut-committed", "cat", "/etc/new.txt" }, out status);
        Check(status == 0 && output == "committed\n", "ctr run of the new image sees the committed file: " + output);
        output = Ctr(new[] { "run", "--name", "ut-after2", "ut-committed", "cat", "/etc/motd" }, out status);
        Check(status != 0 && output.Contains("ENOENT"), "and the deleted file stays deleted: " + output);
        output = Ctr(new[] { "run", "--name", "ut-after3", "base", "cat", "/etc/motd" }, out status);
        Check(status == 0 && output.Contains("base image"), "while base is unchanged: " + output);
        output = Ctr(new[] { "run", "--name", "ut-env", "ut-committed", "env" }, out status);
        Check(status == 0 && output == "PATH=/bin\n", "ctr run gives pid 1 the image's Env (the committed config keeps it): " + output);

        output = Ctr(new[] { "commit", "ut-life", "ut-committed" }, out status);
        Check(status == 1 && output.Contains("exists already"), "commit to a name taken: refused: " + output);
        output = Ctr(new[] { "commit", "no-such", "ut-other" }, out status);
        Check(status == 1 && output.Contains("no container no-such"), "commit of an unknown container: " + output);
        output = Ctr(new[] { "commit", "ut-life", "a/b" }, out status);
        Check(status == 1 && output.Contains("not a plain file name"), "commit to a name that is a path: " + output);
        Check(Sys.LinkStatus(LifeStoreRoot + "/images/a", out FileStatus _) < 0, "which made nothing");

        string[] names = { "ut-life", "ut-after", "ut-after2", "ut-after3", "ut-env" };
        for (int i = 0; i < names.Length; i++)
        {
            Ctr(new[] { "rm", names[i] }, out status);
            Expect(status, 0, "ctr rm " + names[i]);
        }
        Ctr(new[] { "images", "rm", "ut-committed" }, out status);
        Expect(status, 0, "images rm ut-committed");
        Ctr(new[] { "images", "rm", "base" }, out status);
        Expect(CountNames(LifeStoreRoot + "/layers"), 0, "no layer left");
        Sys.RemoveDirectory(LifeStoreRoot + "/containers");
        RemoveEmptyStore(LifeStoreRoot);
    }
}
