using TeachOS;

/// <summary>echo WORD...: prints its arguments, separated by spaces.</summary>
public static class Echo
{
    public static int Main(string[] args)
    {
        Console.WriteLine(string.Join(" ", args));
        return 0;
    }
}
