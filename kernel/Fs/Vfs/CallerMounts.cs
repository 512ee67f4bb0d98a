namespace Fs
{
    /// <summary>
    /// The file system's two questions to the process layer (Proc/ProcessMounts.cs answers): which mount
    /// namespace the running thread's process lives in, and, for umount, whether a process of a namespace
    /// still uses a volume. An abstract class, not an interface: in this runtime an interface's first call
    /// allocates its dispatch cache.
    /// </summary>
    public abstract class CallerMounts
    {
        /// <summary>The running process's mount namespace, held; null in a kernel thread.</summary>
        public abstract MountNamespace HoldCurrent();

        /// <summary>True if a process living in <paramref name="mounts"/> has its current directory or an open file on <paramref name="volume"/>.</summary>
        public abstract bool InUse(MountNamespace mounts, Volume volume);
    }
}
