using System;
using Arch.X64;
using Boot;
using Mem;
using Terminal;

namespace Fs
{
    /// <summary>
    /// The initial RAM disk: a tar archive of the user programs and a few text files, which the boot
    /// loader loads next to the kernel as a Multiboot module (build/initrd.tar, made by the Makefile).
    /// Unpacking copies each file into the RAM file system, which it first mounts at "/" (Fs/Vfs/Mounts.cs).
    /// </summary>
    public static unsafe class Initrd
    {
        public static int FileCount { get; private set; }

        public static void Unpack()
        {
            FilePages.Configure();               // the initrd's files count against the limit too
            Mounts.MountRoot(RamVolume.Instance);
            for (int m = 0; m < BootInfo.ModuleCount; m++)
            {
                BootModule module = BootInfo.Modules[m];
                var archive = new ReadOnlySpan<byte>(DirectMap.ToVirtual(module.Start), (int)(module.End - module.Start));
                var reader = new TarReader(archive);
                while (reader.Next(out TarEntry entry))
                {
                    if (entry.IsDirectory)
                    {
                        RamNode made = RamNode.MakeDirectories(entry.Path);
                        if (made == null) Skipped(entry.Path, "a file is in the way");
                        else made.SetAttributes(AttributesOf(entry));          // /tmp is 1777: sticky, for everyone
                        continue;
                    }
                    if (!entry.IsRegularFile) continue;
                    RamNode directory = RamNode.MakeDirectories(ParentOf(entry.Path));
                    ReadOnlySpan<char> name = NameOf(entry.Path);
                    RamNode file = directory?.FileNamed(name);
                    if (file == null) { Skipped(entry.Path, "not a file's path"); continue; }
                    file.Truncate(0);
                    if (file.WriteAt(0, archive.Slice(entry.DataOffset, entry.Size)) != entry.Size)
                    {
                        file.Truncate(0);
                        Skipped(entry.Path, "no room (ramfs-limit=MiB)");
                        continue;
                    }
                    file.SetAttributes(AttributesOf(entry));                  // programs 0755, the rest 0644 (the Makefile)
                    FileCount++;
                }
            }
            Console.WriteLine($"initrd: {FileCount} files");
        }

        // The tar header's owner and mode; a damaged id makes the file root's.
        private static NodeAttributes AttributesOf(in TarEntry entry) =>
            new NodeAttributes(entry.Mode, Credentials.IsValidId(entry.UserId) ? entry.UserId : 0, Credentials.IsValidId(entry.GroupId) ? entry.GroupId : 0);

        private static void Skipped(string path, string why)
        {
            Console.WriteLine($"initrd: skipped {path}: {why}");
        }

        private static ReadOnlySpan<char> ParentOf(string path)
        {
            int slash = path.LastIndexOf('/');
            return slash < 0 ? ReadOnlySpan<char>.Empty : path.AsSpan(0, slash);
        }

        private static ReadOnlySpan<char> NameOf(string path) => path.AsSpan(path.LastIndexOf('/') + 1);
    }
}
