using Sync;

namespace Fs
{
    /// <summary>
    /// The RAM file system's lock: the tree (Fs/RamFs.cs) and file contents change under it, so two
    /// CPUs creating files in one directory, or writing one file, do not corrupt it. Nothing that
    /// blocks happens while it is held.
    /// </summary>
    public static class FileSystem
    {
        public static SpinLock Lock;
    }
}
