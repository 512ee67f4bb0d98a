using System;
using Abi;
using Fs;
using Mem;
using static Tests.KernelTestRunner;
using static Tests.OverlayTestFiles;

namespace Tests
{
    /// <summary>
    /// The overlay file system (Fs/Overlay/), from inside the kernel: two lower layers and an upper one
    /// made in the RAM file system under /ovl, stacked with the mount options user programs give
    /// (lowerdir=...,upperdir=...,workdir=...), and used through the VFS: read-through, copy-up, whiteouts,
    /// opaque directories, merged listings, rename's EXDEV, two overlays over one lower. Every lower layer
    /// is checksummed before and after: the overlay must never write it. Also `test=overlay` is how to
    /// mount one without the mount call: it leaves an overlay mounted at /ovl/merged.
    /// </summary>
    public static class OverlayTests
    {
        private const string Options = "lowerdir=/ovl/lower1:/ovl/lower2,upperdir=/ovl/upper,workdir=/ovl/work";

        /// <summary>Makes /ovl's layers: lower2 at the bottom, lower1 over it (its a.txt shadows lower2's).</summary>
        public static void MakeLayers()
        {
            VfsNode root = Mounts.Root;
            string[] directories = { "/ovl/lower1/shared", "/ovl/lower1/olddir", "/ovl/lower2/shared", "/ovl/lower2/d2", "/ovl/upper", "/ovl/work", "/ovl/merged" };
            for (int i = 0; i < directories.Length; i++) Check(RamNode.MakeDirectories(directories[i]) != null, "make a layer directory");
            CheckEqual(0, Write(root, "/ovl/lower2/a.txt", "lower2-a"), "write lower2/a.txt");
            CheckEqual(0, Write(root, "/ovl/lower2/shared/x", "x2"), "write lower2/shared/x");
            CheckEqual(0, Write(root, "/ovl/lower1/a.txt", "lower1-a"), "write lower1/a.txt");
            CheckEqual(0, Write(root, "/ovl/lower1/b.txt", "bee"), "write lower1/b.txt");
            CheckEqual(0, Write(root, "/ovl/lower1/gone.txt", "gone"), "write lower1/gone.txt");
            CheckEqual(0, Write(root, "/ovl/lower1/shared/y", "y1"), "write lower1/shared/y");
            CheckEqual(0, Write(root, "/ovl/lower1/olddir/inner", "inner"), "write lower1/olddir/inner");
        }

        public static void Layers()
        {
            MakeLayers();
            VfsNode root = Mounts.Root;
            ulong lower1 = Checksum(root, "/ovl/lower1"), lower2 = Checksum(root, "/ovl/lower2");
            CheckEqual(0, OverlayOptions.CreateVolume(Credentials.Kernel, root, Options, false, out OverlayVolume volume), "make the overlay");
            if (volume == null) return;
            VfsNode top = volume.HoldRoot();

            // Read-through: the uppermost layer holding a name answers; directories merge.
            Check(Holds(top, "a.txt", "lower1-a"), "a.txt reads lower1's (the uppermost lower)");
            Check(Holds(top, "shared/x", "x2") && Holds(top, "shared/y", "y1"), "shared/ shows both layers' entries");
            CheckEqual("shared/olddir/a.txt/b.txt/gone.txt/d2/", List(top, "."), "the root merges lower1 then lower2, each name once");

            // Copy-up: the first write copies the file up; the lower keeps its bytes.
            CheckEqual(0, Write(top, "a.txt", "changed"), "write a.txt through the overlay");
            Check(Holds(top, "a.txt", "changed"), "the overlay reads the change");
            Check(Holds(root, "/ovl/upper/a.txt", "changed"), "the change is in the upper layer");
            Check(Holds(root, "/ovl/lower1/a.txt", "lower1-a"), "lower1/a.txt is untouched");
            CheckEqual(0, Write(top, "shared/new", "n"), "a new file in a merged directory");
            Check(Holds(root, "/ovl/upper/shared/new", "n"), "its directory was copied up to hold it");

            // chmod copies up with the lower's owner, then changes only the copy.
            CheckEqual(0, Paths.Resolve(Credentials.Kernel, top, "b.txt", followLast: true, out VfsNode bee), "b.txt");
            NodeAttributes before = bee.Attributes();
            CheckEqual(0, bee.SetAttributes(new NodeAttributes(0x180, before.UserId, before.GroupId)), "chmod 600 b.txt");
            CheckEqual(0x180, bee.Attributes().Mode, "the overlay shows mode 600");
            bee.Put();
            CheckEqual(0, PathOperations.Status(Credentials.Kernel, root, "/ovl/lower1/b.txt", true, out NodeStatus lowerBee), "stat lower1/b.txt");
            CheckEqual(before.Mode, lowerBee.Attributes.Mode, "the lower keeps its mode");
            Check(Holds(top, "b.txt", "bee"), "the copy has the bytes");

            // Whiteouts: a removed lower name is hidden by .wh.NAME in the upper layer.
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, top, "gone.txt", directory: false), "unlink gone.txt");
            CheckEqual(-Errno.ENOENT, Find(top, "gone.txt"), "gone.txt is gone from the overlay");
            CheckEqual(0, Find(root, "/ovl/upper/.wh.gone.txt"), "a whiteout .wh.gone.txt is in the upper layer");
            CheckEqual(0, Find(root, "/ovl/lower1/gone.txt"), "lower1 still has gone.txt");
            CheckEqual(-Errno.ENOENT, Find(top, ".wh.gone.txt"), "the whiteout itself is not visible");
            Check(!Contains(List(top, "."), "gone") && !Contains(List(top, "."), ".wh."), "readdir shows neither");
            CheckEqual(-Errno.EINVAL, Write(top, ".wh.sneaky", "x"), "a user may not make a .wh. name");

            // Opaque: a directory removed and made again starts empty.
            CheckEqual(-Errno.ENOTEMPTY, PathOperations.Remove(Credentials.Kernel, top, "olddir", directory: true), "rmdir a non-empty lower directory");
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, top, "olddir/inner", directory: false), "unlink olddir/inner");
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, top, "olddir", directory: true), "rmdir olddir");
            CheckEqual(0, PathOperations.MakeDirectory(Credentials.Kernel, top, "olddir"), "mkdir olddir again");
            CheckEqual("", List(top, "olddir"), "the new olddir is empty (opaque)");
            CheckEqual(0, Find(root, "/ovl/upper/olddir/.wh..wh..opq"), "it holds the opaque marker");
            CheckEqual(-Errno.ENOENT, Find(top, "olddir/inner"), "lower1's olddir/inner does not show through");

            // rename: a file is copied up and moved; a directory with lower parts is EXDEV.
            CheckEqual(-Errno.EXDEV, PathOperations.Rename(Credentials.Kernel, top, "shared", "moved"), "rename a merged directory");
            CheckEqual(0, PathOperations.Rename(Credentials.Kernel, top, "b.txt", "c.txt"), "rename a copied-up file");
            CheckEqual(-Errno.ENOENT, Find(top, "b.txt"), "the old name is gone (whited out)");
            Check(Holds(top, "c.txt", "bee"), "the new name has its bytes");
            CheckEqual(0, PathOperations.Rename(Credentials.Kernel, top, "shared/x", "x-moved"), "rename a lower-only file");
            Check(Holds(top, "x-moved", "x2") && Find(top, "shared/x") == -Errno.ENOENT, "it moved");
            CheckEqual(0, PathOperations.MakeDirectory(Credentials.Kernel, top, "fresh"), "mkdir an upper-only directory");
            CheckEqual(0, PathOperations.Rename(Credentials.Kernel, top, "fresh", "fresh2"), "rename it (no lower part: allowed)");

            // getcwd's search: a merged directory's inode number is the same in lookup and readdir.
            CheckEqual(0, Paths.Resolve(Credentials.Kernel, top, "shared", followLast: true, out VfsNode shared), "shared");
            Check(InodeListed(top, "shared") == shared.Inode, "readdir and lookup agree on shared's inode number");
            shared.Put();

            Check(lower1 == Checksum(root, "/ovl/lower1") && lower2 == Checksum(root, "/ovl/lower2"), "no lower layer was written (checksums)");
            top.Put();
            CheckEqual(0, volume.LiveNodes, "no node is left held");

            // The temporary way to mount one until the mount call has the type: the mount table directly.
            CheckEqual(0, Mounts.Mount("/ovl/merged", volume), "mount the overlay at /ovl/merged");
            Check(Holds(root, "/ovl/merged/a.txt", "changed") && Holds(root, "/ovl/merged/shared/y", "y1"), "paths cross into it");
        }

        private static unsafe ulong InodeListed(VfsNode directory, string name)
        {
            for (int index = 0; directory.ReadDirectory(index, out DirectoryEntry entry) > 0; index++)
            {
                if (entry.NameLength != name.Length) continue;
                bool same = true;
                for (int i = 0; i < name.Length; i++) same &= entry.Name[i] == (byte)name[i];
                if (same) return entry.Inode;
            }
            return 0;
        }
    }
}
