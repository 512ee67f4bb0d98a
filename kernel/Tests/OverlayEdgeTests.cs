using System;
using Abi;
using Fs;
using static Tests.KernelTestRunner;
using static Tests.OverlayTestFiles;

namespace Tests
{
    /// <summary>
    /// The overlay's less travelled paths: one node per file (a reader sees another's copy-up), a file
    /// written after its name was removed, symbolic links and hard links copied up, a directory renamed
    /// onto a whited-out name (made opaque), getcwd inside a mounted overlay, and a read-only overlay.
    /// </summary>
    public static class OverlayEdgeTests
    {
        public static unsafe void Edges()
        {
            VfsNode root = Mounts.Root;
            string[] directories = { "/ovl-edge/lower/dir/sub", "/ovl-edge/lower/olddir", "/ovl-edge/upper", "/ovl-edge/work", "/ovl-edge/merged" };
            for (int i = 0; i < directories.Length; i++) Check(RamNode.MakeDirectories(directories[i]) != null, "make a layer");
            CheckEqual(0, Write(root, "/ovl-edge/lower/shared.txt", "old"), "a lower file");
            CheckEqual(0, Write(root, "/ovl-edge/lower/doomed.txt", "doomed"), "another");
            CheckEqual(0, Write(root, "/ovl-edge/lower/olddir/inner", "i"), "a file in a lower directory");
            CheckEqual(0, PathOperations.MakeSymbolicLink(Credentials.Kernel, root, "shared.txt", "/ovl-edge/lower/link"), "a lower symbolic link");
            ulong lower = Checksum(root, "/ovl-edge/lower");
            CheckEqual(0, OverlayOptions.CreateVolume(Credentials.Kernel, root, "lowerdir=/ovl-edge/lower,upperdir=/ovl-edge/upper,workdir=/ovl-edge/work", false, out OverlayVolume volume), "the overlay");
            if (volume == null) return;
            VfsNode top = volume.HoldRoot();

            // One node per file: a reader holding the lower file sees the copy-up another lookup makes.
            CheckEqual(0, Paths.Resolve(Credentials.Kernel, top, "shared.txt", followLast: true, out VfsNode reader), "a reader holds shared.txt");
            CheckEqual(0, Write(top, "shared.txt", "new"), "a writer changes it (copy-up)");
            byte* bytes = stackalloc byte[8];
            Check(reader.ReadAt(0, new Span<byte>(bytes, 8)) == 3 && bytes[0] == (byte)'n', "the reader reads the new bytes");
            reader.Put();

            // A file removed while held, then written: the copy goes nowhere visible.
            CheckEqual(0, Paths.Resolve(Credentials.Kernel, top, "doomed.txt", followLast: true, out VfsNode doomed), "hold doomed.txt");
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, top, "doomed.txt", directory: false), "unlink it");
            Check(doomed.WriteAt(0, new ReadOnlySpan<byte>(bytes, 3)) == 3, "write through the held node");
            CheckEqual(-Errno.ENOENT, Find(top, "doomed.txt"), "the name stays gone");
            CheckEqual(0, Count(root, "/ovl-edge/work"), "the work directory is empty again");
            doomed.Put();

            // Links: a symbolic link copies up as a link; a hard link copies its target up first.
            CheckEqual(0, PathOperations.Rename(Credentials.Kernel, top, "link", "link2"), "rename a lower symbolic link");
            Check(Holds(top, "link2", "new"), "it still leads to shared.txt");
            CheckEqual(0, PathOperations.Link(Credentials.Kernel, top, "shared.txt", "hard"), "a hard link to the copied-up file");
            CheckEqual(0, Write(top, "hard", "via"), "write through the second name");
            Check(Holds(top, "shared.txt", "via"), "the first name sees it (one upper file)");

            // A directory moved onto a whited-out lower directory's name is made opaque.
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, top, "olddir/inner", directory: false), "empty olddir");
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, top, "olddir", directory: true), "rmdir olddir");
            CheckEqual(0, PathOperations.MakeDirectory(Credentials.Kernel, top, "newdir"), "mkdir newdir");
            CheckEqual(0, PathOperations.Rename(Credentials.Kernel, top, "newdir", "olddir"), "rename newdir to olddir");
            CheckEqual(0, Count(top, "olddir"), "olddir is empty: the lower one does not show through");
            CheckEqual(-Errno.ENOENT, Find(root, "/ovl-edge/upper/.wh.olddir"), "the whiteout went with the new name");
            CheckEqual(-Errno.ENOTEMPTY, PathOperations.Rename(Credentials.Kernel, top, "olddir", "dir"), "rename onto a non-empty merged directory");

            // getcwd's climb through a mounted overlay.
            CheckEqual(0, Mounts.Mount("/ovl-edge/merged", volume), "mount it at /ovl-edge/merged");
            CheckEqual(0, Paths.Resolve(Credentials.Kernel, root, "/ovl-edge/merged/dir/sub", followLast: true, out VfsNode sub), "a merged directory two levels down");
            char* text = stackalloc char[64];
            int length = PathNames.PathOf(sub, new Span<char>(text, 64));
            Check(length > 0 && new ReadOnlySpan<char>(text, length).SequenceEqual("/ovl-edge/merged/dir/sub"), "getcwd names it");
            sub.Put();
            Check(lower == Checksum(root, "/ovl-edge/lower"), "the lower layer was not written (checksum)");
            top.Put();

            // Read-only: no upperdir, every change is EROFS.
            CheckEqual(0, OverlayOptions.CreateVolume(Credentials.Kernel, root, "lowerdir=/ovl-edge/lower", false, out OverlayVolume readOnly), "a read-only overlay");
            if (readOnly == null) return;
            VfsNode image = readOnly.HoldRoot();
            Check(Holds(image, "shared.txt", "old"), "it reads the lower layer");
            CheckEqual(-Errno.EROFS, Write(image, "shared.txt", "x"), "a write is EROFS");
            CheckEqual(-Errno.EROFS, PathOperations.MakeDirectory(Credentials.Kernel, image, "d"), "mkdir is EROFS");
            CheckEqual(-Errno.EROFS, PathOperations.Remove(Credentials.Kernel, image, "shared.txt", directory: false), "unlink is EROFS");
            image.Put();
            readOnly.Release();
        }
    }
}
