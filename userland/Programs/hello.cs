using TeachOS;

/// <summary>The smallest TeachOS program: prints its arguments and exits with a status.</summary>
public static class Hello
{
    public static int Main(string[] args)
    {
        Console.Write("hello from ring 3, pid ");
        Console.Write(Sys.GetPid());
        Console.Write(", ");
        Console.Write(args.Length);
        Console.WriteLine(" arguments");
        foreach (string argument in args) Console.WriteLine("  " + argument);
        return args.Length;
    }
}
