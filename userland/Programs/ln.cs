using TeachOS;

/// <summary>ln [-s] TARGET LINK: LINK becomes another name of TARGET (a hard link), or with -s a symbolic link whose text is TARGET.</summary>
public static class MakeLink
{
    public static int Main(string[] args)
    {
        bool symbolic = args.Length == 3 && args[0] == "-s";
        if (args.Length != (symbolic ? 3 : 2)) { Console.Error("usage: ln [-s] TARGET LINK\n"); return 2; }
        string target = args[args.Length - 2], link = args[args.Length - 1];
        long result = symbolic ? Sys.SymbolicLink(target, link) : Sys.Link(target, link);
        if (result < 0) { Files.ReportError("ln", link, result); return 1; }
        return 0;
    }
}
