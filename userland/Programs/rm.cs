using Abi;
using TeachOS;

/// <summary>
/// rm [-r] PATH...: removes files and symbolic links (unlink). With -r, a directory goes too, after
/// everything in it (rmdir needs it empty); a symbolic link inside is removed, never followed.
/// </summary>
public static unsafe class Remove
{
    public static int Main(string[] args)
    {
        bool recursive = args.Length > 0 && args[0] == "-r";
        int first = recursive ? 1 : 0;
        if (args.Length == first) { Console.Error("usage: rm [-r] PATH...\n"); return 2; }
        int failures = 0;
        for (int i = first; i < args.Length; i++)
        {
            long result = RemoveOne(args[i], recursive);
            if (result < 0) { Files.ReportError("rm", args[i], result); failures++; }
        }
        return failures == 0 ? 0 : 1;
    }

    private static long RemoveOne(string path, bool recursive)
    {
        long result = Sys.Unlink(path);
        if (result != -Errno.EISDIR || !recursive) return result;
        string[] names = Names(path, out long error);
        if (names == null) return error;
        foreach (string name in names)
        {
            long removed = RemoveOne(path + "/" + name, recursive: true);
            if (removed < 0) { Files.ReportError("rm", path + "/" + name, removed); }
        }
        return Sys.RemoveDirectory(path);
    }

    // The directory's entries, read before any is removed: removing shifts the later ones' indexes.
    private static string[] Names(string path, out long error)
    {
        error = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (error < 0) return null;
        int descriptor = (int)error;
        error = 0;
        string[] names = new string[8];
        int count = 0;
        while (Sys.ReadDirectory(descriptor, count, out DirectoryEntry entry) == 1)
        {
            if (count == names.Length) System.Array.Resize(ref names, count * 2);
            names[count++] = string.FromAscii(entry.Name, entry.NameLength);
        }
        Sys.Close(descriptor);
        System.Array.Resize(ref names, count);
        return names;
    }
}
