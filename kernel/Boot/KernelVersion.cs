namespace Boot
{
    /// <summary>
    /// The kernel's version, fixed when it is built: printed in the banner, and low in the layers
    /// (with the other facts the kernel starts with) so that any layer may report it.
    /// </summary>
    public static class KernelVersion
    {
        public const string Text = "0.1.0";
    }
}
