using Abi;
using TeachOS;

/// <summary>
/// mount: with no arguments, lists the mounts of this process's mount namespace, one a line, as Linux's
/// /proc/self/mounts does (`SOURCE TARGET TYPE rw|ro`). `mount -t tmpfs none DIR` puts a fresh RAM file
/// system on DIR; `mount --bind A B` shows directory A at B too, and `-o ro` makes that view read-only
/// (writes through it are EROFS). Root only, as on Linux (EPERM otherwise). A mount made after
/// `unshare -m sh` is seen by that shell and its children only (kernel/Fs/Vfs/MountNamespace.cs).
/// </summary>
public static unsafe class MountProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 0) return List();
        string type = null, options = "";
        bool bind = false;
        int first = 0;
        for (; first < args.Length && args[first].Length > 1 && args[first][0] == '-'; first++)
        {
            if (args[first] == "--bind") bind = true;
            else if (args[first] == "-t" && first + 1 < args.Length) type = args[++first];
            else if (args[first] == "-o" && first + 1 < args.Length) options = args[++first];
            else return Usage();
        }
        if (args.Length - first != 2 || (type == null && !bind)) return Usage();
        int flags = bind ? MountFlags.Bind : 0;
        string data = "";
        // The options Linux's mount turns into flags; the rest go to the file system as its data.
        foreach (string option in options.Split(','))
        {
            if (option == "ro") flags |= MountFlags.ReadOnly;
            else if (option == "rw" || option.Length == 0) continue;
            else data = data.Length == 0 ? option : data + "," + option;
        }
        long result = Sys.Mount(args[first], args[first + 1], type ?? "", flags, data);
        if (result == 0) return 0;
        Files.ReportError("mount", args[first + 1], result);
        return 1;
    }

    private static int List()
    {
        MountInfo info;
        for (int index = 0; Sys.ReadMount(index, out info) == 1; index++)
        {
            string source = string.FromAscii(info.Source, info.SourceLength);
            string target = string.FromAscii(info.Target, info.TargetLength);
            string type = string.FromAscii(info.Type, info.TypeLength);
            string mode = (info.Flags & MountFlags.ReadOnly) != 0 ? "ro" : "rw";
            Console.WriteLine(source + " " + target + " " + type + " " + mode);
        }
        return 0;
    }

    private static int Usage()
    {
        Console.Error("usage: mount | mount -t TYPE [-o OPTIONS] SOURCE DIR | mount --bind [-o ro] DIR DIR\n");
        return 2;
    }
}
