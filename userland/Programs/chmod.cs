using TeachOS;

/// <summary>
/// chmod MODE FILE...: sets each file's permission bits to the octal MODE ("644", "4755" for a setuid
/// program, "1777" for a shared directory with the sticky bit). Only the owner or root may.
/// </summary>
public static class ChangeMode
{
    public static int Main(string[] args)
    {
        if (args.Length < 2) { Console.Error("usage: chmod MODE FILE...\n"); return 2; }
        int mode = FileModes.ParseOctal(args[0]);
        if (mode < 0) { Console.Error("chmod: " + args[0] + ": not an octal mode\n"); return 2; }
        int failures = 0;
        for (int i = 1; i < args.Length; i++)
        {
            long result = Sys.ChangeMode(args[i], mode);
            if (result < 0) { Files.ReportError("chmod", args[i], result); failures++; }
        }
        return failures == 0 ? 0 : 1;
    }
}
