using TeachOS;

/// <summary>sleep MILLISECONDS: waits that long.</summary>
public static class SleepProgram
{
    public static int Main(string[] args)
    {
        if (args.Length != 1 || !int.TryParse(args[0], out int milliseconds))
        {
            Console.Error("usage: sleep MILLISECONDS\n");
            return 2;
        }
        return Sys.Sleep(milliseconds) < 0 ? 1 : 0;
    }
}
