using Fs;
using Namespaces;
using Sched;

namespace Proc
{
    /// <summary>
    /// The process layer's answers to the file system's questions about mount namespaces (Fs/Vfs/Mounts.cs
    /// CallerMounts), registered at boot by KernelMain: which namespace the running process looks names up
    /// in, and whether any process of a namespace still uses a volume that umount would take away.
    /// </summary>
    public sealed class ProcessMounts : CallerMounts
    {
        public override MountNamespace HoldCurrent()
        {
            Process process = Process.Current;
            if (process == null || process.Namespaces == null) return null;      // a kernel thread, or a process being built
            NamespaceSet set = ProcessNamespaces.HoldOf(process);
            MountNamespace mounts = set.Mount.Hold();
            set.Release();
            return mounts;
        }

        /// <summary>
        /// A current directory or an open file on <paramref name="volume"/>, in a process of <paramref name="mounts"/>.
        /// Under the scheduler's lock so that no process leaves the list meanwhile; each process's directory and
        /// file-table locks are taken inside it, and nothing inside those (Sync/SpinLock.cs).
        /// </summary>
        public override bool InUse(MountNamespace mounts, Volume volume)
        {
            bool used = false;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            for (int i = 0; i < Processes.Count && !used; i++)
            {
                Process process = Processes.At(i);
                if (process.IsZombie || process.Namespaces == null || process.Namespaces.Mount != mounts) continue;
                used = process.CurrentDirectoryOn(volume) || (process.Files != null && process.Files.AnyOn(volume));
            }
            Scheduler.ThreadStateLock.Release(flags);
            return used;
        }
    }
}
