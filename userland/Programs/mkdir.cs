using TeachOS;

/// <summary>mkdir DIR...: makes each directory (its parent must exist).</summary>
public static class MakeDirectory
{
    public static int Main(string[] args)
    {
        if (args.Length == 0) { Console.Error("usage: mkdir DIR...\n"); return 2; }
        int failures = 0;
        foreach (string path in args)
        {
            long result = Sys.MakeDirectory(path);
            if (result < 0) { Files.ReportError("mkdir", path, result); failures++; }
        }
        return failures == 0 ? 0 : 1;
    }
}
