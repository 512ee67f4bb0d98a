using System;
using TeachOS;

/// <summary>
/// The containers ctr knows, each a folder ROOT/containers/NAME with `image` (the image's name), `state`
/// ("running PID" while ctr run waits for it, PID being the process that made the container; then
/// "exited STATUS"), `init-pid` (the container's pid 1 as the host numbers it, written once the container
/// is whole: ctr exec joins its namespaces, ctr stop kills it) and the writable layer `upper`. `ctr ps`
/// lists them; `ctr rm NAME` removes the folder, and with it the container's writable layer, and its
/// control group; the image's layers, shared and read-only, stay in the store.
/// </summary>
public static class ContainerState
{
    public const string InitPidFile = "init-pid";

    public static void Write(string folder, string state) => Files.WriteAllText(folder + "/state", state + "\n");

    public static string Folder(string root, string name) => root + "/containers/" + name;

    /// <summary>
    /// The host's pid of a running container's pid 1; 0 with the reason when there is no such container, it
    /// is not running, or it is still being made (pid 1 not yet started).
    /// </summary>
    public static int InitPid(string root, string name, out string problem)
    {
        problem = null;
        string folder = Folder(root, name);
        if (!ImageStore.IsGoodName(name) || !FileTree.Exists(folder)) { problem = "no container " + name; return 0; }
        string state = Files.ReadAllText(folder + "/state", out long _);
        if (state == null || !state.StartsWith("running")) { problem = name + " is not running (" + (state ?? "created\n").Trim() + ")"; return 0; }
        string text = Files.ReadAllText(folder + "/" + InitPidFile, out long _);
        if (text == null || !int.TryParse(text.Trim(), out int pid) || pid <= 0) { problem = name + " is still starting: its pid 1 has not begun"; return 0; }
        return pid;
    }

    public static int List(string root)
    {
        Console.WriteLine("NAME".PadRight(20) + "IMAGE".PadRight(12) + "STATE");
        string[] names = FileTree.Names(root + "/containers");
        for (int i = 0; i < names.Length; i++)
        {
            string folder = root + "/containers/" + names[i];
            string image = Files.ReadAllText(folder + "/image", out long _);
            string state = Files.ReadAllText(folder + "/state", out long _);
            Console.WriteLine(names[i].PadRight(20) + (image ?? "?\n").Trim().PadRight(12) + (state ?? "created\n").Trim());
        }
        return 0;
    }

    public static int Remove(string root, string name)
    {
        string folder = root + "/containers/" + name;
        if (!ImageStore.IsGoodName(name) || !FileTree.Exists(folder)) { Console.Error("ctr rm: no container " + name + "\n"); return 1; }
        string state = Files.ReadAllText(folder + "/state", out long _);
        if (state != null && state.StartsWith("running"))
        {
            Console.Error("ctr rm: " + name + " is running (" + state.Trim() + ")\n");
            return 1;
        }
        long result = FileTree.RemoveAll(folder);
        if (result < 0) { Files.ReportError("ctr rm", folder, result); return 1; }
        Sys.RemoveDirectory("/sys/fs/cgroup/ctr-" + name);   // empty once its processes are gone
        Console.WriteLine("removed " + name + " and its writable layer");
        return 0;
    }
}
