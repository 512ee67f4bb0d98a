using Abi;
using TeachOS;

/// <summary>
/// find DIR NAME: prints every path under DIR whose last part is NAME (6.1810's util lab). Walks the
/// tree with readdir; a symbolic link is matched by its own name but never followed (a link to ".."
/// would make the walk endless).
/// </summary>
public static unsafe class Find
{
    public static int Main(string[] args)
    {
        if (args.Length != 2) { Console.Error("usage: find DIR NAME\n"); return 2; }
        return Walk(args[0], args[1]) ? 0 : 1;
    }

    private static bool Walk(string directory, string name)
    {
        long opened = Sys.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (opened < 0) { Files.ReportError("find", directory, opened); return false; }
        int descriptor = (int)opened;
        bool ok = true;
        string prefix = directory.EndsWith("/") ? directory : directory + "/";
        for (int index = 0; Sys.ReadDirectory(descriptor, index, out DirectoryEntry entry) == 1; index++)
        {
            string part = string.FromAscii(entry.Name, entry.NameLength);
            string path = prefix + part;
            if (part == name) Console.WriteLine(path);
            if (entry.Kind == 2 && !Walk(path, name)) ok = false;
        }
        Sys.Close(descriptor);
        return ok;
    }
}
