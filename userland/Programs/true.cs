/// <summary>true: does nothing, successfully (the process-creation benchmark and tests spawn it).</summary>
public static class True
{
    public static int Main(string[] args) => 0;
}
