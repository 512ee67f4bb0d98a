/// <summary>The kernel's version, printed in the banner.</summary>
public static class KernelVersion
{
    public const string Text = "0.1.0";
}
