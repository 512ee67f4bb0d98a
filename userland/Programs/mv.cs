using Abi;
using TeachOS;

/// <summary>mv FROM TO: renames FROM; if TO is a directory, FROM moves into it under its own name.</summary>
public static class Move
{
    public static int Main(string[] args)
    {
        if (args.Length != 2) { Console.Error("usage: mv FROM TO\n"); return 2; }
        string from = args[0], to = args[1];
        if (Sys.PathStatus(to, out FileStatus status) == 0 && status.Kind == 2)
            to = to + "/" + LastPart(from);
        long result = Sys.Rename(from, to);
        if (result < 0) { Files.ReportError("mv", from, result); return 1; }
        return 0;
    }

    private static string LastPart(string path)
    {
        int end = path.Length;
        while (end > 1 && path[end - 1] == '/') end--;
        int start = end;
        while (start > 0 && path[start - 1] != '/') start--;
        return path.Substring(start, end - start);
    }
}
