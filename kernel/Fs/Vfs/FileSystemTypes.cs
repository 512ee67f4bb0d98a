using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// A kind of file system that mount can make (`mount -t NAME SOURCE TARGET -o DATA`): Linux's
    /// file_system_type. To add one, derive from this class, make a fresh <see cref="Volume"/> in
    /// <see cref="Create"/> (one reference, the caller's), and register an instance at boot with
    /// <see cref="FileSystemTypes.Register"/> (kernel/KernelMain.cs), before the first process runs. The
    /// mount call (Fs/Vfs/MountOperations.cs) looks the name up, asks for the volume, and puts its root on
    /// the target directory in the caller's mount namespace; umount and the namespace's end release it
    /// (Volume.Unmounted is where a type lets its memory go).
    /// </summary>
    public abstract class FileSystemType
    {
        /// <summary>The name mount's type argument gives ("tmpfs"); at most MountNamespace.MaximumTypeName characters.</summary>
        public abstract string Name { get; }

        /// <summary>
        /// A new volume for `mount -t Name source target -o data`: 0 and the volume, or a negated errno (-EINVAL
        /// for data it does not understand, -ENOENT for a source path that does not exist...). Paths in
        /// <paramref name="source"/> or <paramref name="data"/> are looked up as <paramref name="who"/>, relative
        /// ones from <paramref name="start"/> (the caller's current directory), in the caller's namespace.
        /// <paramref name="flags"/> are mount's (MountFlags.ReadOnly: the volume must refuse changes).
        /// </summary>
        public abstract int Create(Credentials who, VfsNode start, ReadOnlySpan<char> source, int flags, ReadOnlySpan<char> data, out Volume volume);
    }

    /// <summary>
    /// The registry of file-system types, by name. "tmpfs" is TeachOS's own (below); a bind mount is not a type
    /// but a flag (MountFlags.Bind), as on Linux. Registration happens at boot, before any mount call, so the
    /// lookups need no lock.
    /// </summary>
    public static class FileSystemTypes
    {
        public const int MaximumTypes = 8;
        private static readonly FileSystemType[] s_types = new FileSystemType[MaximumTypes];
        private static int s_count;

        /// <summary>Adds <paramref name="type"/> (at boot). False if the table is full or the name is taken.</summary>
        public static bool Register(FileSystemType type)
        {
            if (s_count == MaximumTypes || Find(type.Name) != null) return false;
            s_types[s_count++] = type;
            return true;
        }

        /// <summary>The type named <paramref name="name"/>, or null (mount then says -ENODEV, as Linux).</summary>
        public static FileSystemType Find(ReadOnlySpan<char> name)
        {
            for (int i = 0; i < s_count; i++)
                if (name.SequenceEqual(s_types[i].Name)) return s_types[i];
            return null;
        }

        /// <summary>The types TeachOS's own file system layer provides; KernelMain calls this at boot.</summary>
        public static void RegisterBuiltIn()
        {
            Register(new TmpfsType());
            Register(new OverlayType());       // Fs/Overlay/: image layers and a writable layer as one tree
        }
    }

    /// <summary>"tmpfs": a fresh, empty RAM file system (Fs/RamVolume.cs). The source is a label ("none"); no options.</summary>
    public sealed class TmpfsType : FileSystemType
    {
        public override string Name => "tmpfs";

        public override int Create(Credentials who, VfsNode start, ReadOnlySpan<char> source, int flags, ReadOnlySpan<char> data, out Volume volume)
        {
            volume = null;
            if (data.Length > 0) return -Errno.EINVAL;            // no size= or mode= yet: say so rather than ignore it
            if ((flags & MountFlags.ReadOnly) != 0) return -Errno.EINVAL;   // an empty tree no one may fill is of no use
            volume = RamVolume.CreateTmpfs();
            return 0;
        }
    }
}
