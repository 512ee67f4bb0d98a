using Abi;
using TeachOS;

/// <summary>cat [FILE...]: copies each file (or stdin) to stdout.</summary>
public static class Cat
{
    public static int Main(string[] args)
    {
        if (args.Length == 0) return Files.Copy(Console.StandardInput, Console.StandardOutput) < 0 ? 1 : 0;
        int failures = 0;
        foreach (string path in args)
        {
            long descriptor = Sys.Open(path, OpenFlags.ReadOnly);
            long copied = descriptor < 0 ? descriptor : Files.Copy((int)descriptor, Console.StandardOutput);
            if (copied < 0)
            {
                Files.ReportError("cat", path, copied);
                failures++;
            }
            if (descriptor >= 0) Sys.Close((int)descriptor);
        }
        return failures == 0 ? 0 : 1;
    }
}
