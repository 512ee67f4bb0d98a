using TeachOS;

/// <summary>env: prints the program's environment, one "NAME=value" a line (userland/Lib/Environment.cs).</summary>
public static class EnvProgram
{
    public static int Main(string[] args)
    {
        if (args.Length > 0)
        {
            Console.Error("usage: env\n");
            return 2;
        }
        for (int i = 0; i < Environment.Count; i++) Console.WriteLine(Environment.At(i));
        return 0;
    }
}
