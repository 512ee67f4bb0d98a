using System;

namespace Fs
{
    /// <summary>
    /// Which mount table a lookup uses: the calling process's mount namespace (Fs/Vfs/MountNamespace.cs).
    /// Namespaces belong to processes, a layer above the file system (kernel/Layers.txt), so the file system
    /// asks through <see cref="CallerMounts"/>, which the process layer implements and KernelMain registers;
    /// a kernel thread, and the boot before the first process, use the initial namespace.
    ///
    /// Boot: "/" is the RAM file system unpacked from the initrd (<see cref="MountRoot"/>); the disk's file
    /// system is mounted at "/disk" and the devices at "/dev" (<see cref="Mount"/>, into the initial namespace).
    /// </summary>
    public static class Mounts
    {
        private static CallerMounts s_caller;

        /// <summary>The root of the boot tree: the RAM file system's, which lives for ever (Hold it to keep it).</summary>
        public static VfsNode Root => RamNode.Root;

        /// <summary>Makes <paramref name="volume"/> the root of the initial namespace (at boot, before any lookup).</summary>
        public static void MountRoot(Volume volume) => MountNamespace.CreateInitial(volume);

        /// <summary>At boot: how the file system finds the calling process's namespace from now on.</summary>
        public static void Register(CallerMounts caller) => s_caller = caller;

        /// <summary>The caller's mount namespace, held (Release it): the process's, or the initial one for the kernel.</summary>
        public static MountNamespace HoldCurrent()
        {
            MountNamespace found = s_caller?.HoldCurrent();
            return found ?? MountNamespace.Initial.Hold();
        }

        /// <summary>
        /// At boot: mounts <paramref name="volume"/> on the directory at <paramref name="path"/> (absolute) in
        /// the initial namespace: 0, or -ENOENT/-ENOTDIR (no such directory), -EBUSY, -ENOSPC.
        /// </summary>
        public static int Mount(ReadOnlySpan<char> path, Volume volume)
        {
            int error = Paths.Resolve(Credentials.Kernel, Root, path, followLast: true, out VfsNode directory);
            if (error < 0) return error;
            return MountNamespace.Initial.Add(directory, volume, volume.Name, "none");
        }

        /// <summary>umount's question: does a process of <paramref name="mounts"/> use <paramref name="volume"/>? (False at boot.)</summary>
        public static bool InUse(MountNamespace mounts, Volume volume) => s_caller != null && s_caller.InUse(mounts, volume);

        /// <summary>True if <paramref name="node"/> is a mount point or a volume's root in the caller's namespace.</summary>
        public static bool IsBusy(VfsNode node)
        {
            MountNamespace mounts = HoldCurrent();
            bool busy = mounts.IsBusy(node);
            mounts.Release();
            return busy;
        }
    }
}
