using TeachOS;

/// <summary>kill PID...: ends processes (they exit with status 137).</summary>
public static class KillProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error("usage: kill PID...\n");
            return 2;
        }
        int failures = 0;
        foreach (string argument in args)
        {
            long result = int.TryParse(argument, out int pid) ? Sys.Kill(pid) : -Abi.Errno.EINVAL;
            if (result < 0)
            {
                Files.ReportError("kill", argument, result);
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
