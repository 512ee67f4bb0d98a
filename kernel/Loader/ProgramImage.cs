namespace Loader
{
    /// <summary>The ELF file a process was loaded from (kept in the RAM file system), for symbol lookups.</summary>
    public sealed class ProgramImage
    {
        public string Path;
        public byte[] File;
    }
}
