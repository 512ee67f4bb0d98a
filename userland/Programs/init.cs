using TeachOS;

/// <summary>
/// The first process (pid 1): starts the shell, and collects every process that exits without a
/// parent to do it (orphans are given to init). When the shell exits, init exits with the shell's
/// status, and TeachOS powers off.
/// </summary>
public static class Init
{
    public static int Main(string[] args)
    {
        long shell = Sys.Spawn("/bin/sh", new[] { "sh" }, 0, 1, 2);
        if (shell < 0)
        {
            Files.ReportError("init", "/bin/sh", shell);
            return 1;
        }
        while (true)
        {
            long pid = Sys.Wait(-1, out int status);
            if (pid == shell) return status;
            if (pid < 0) return 1;
            // An orphan, collected: nothing else to do.
        }
    }
}
