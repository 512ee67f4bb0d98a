using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests: the overlay file system (kernel/Fs/Overlay/), mounted with `mount -t overlay` as a container's
/// root is: two read-only lower layers and a writable upper one under /ut-ovl, merged at /ut-ovl/merged.
/// Each case mounts inside a child with a mount namespace of its own (InNewMountNamespace), so its overlay
/// goes with the child; the layers are ordinary directories, removed at the end. Every lower layer is
/// checksummed before and after: an overlay must never write one.
/// </summary>
public static unsafe partial class UserTests
{
    private const string OverlayBase = "/ut-ovl", Merged = "/ut-ovl/merged";
    private const string OverlayOptions = "lowerdir=/ut-ovl/lower1:/ut-ovl/lower2,upperdir=/ut-ovl/upper,workdir=/ut-ovl/work";

    // lower2 at the bottom, lower1 over it (its a.txt hides lower2's), and empty upper, work and merged.
    private static void MakeOverlayLayers()
    {
        string[] directories = { OverlayBase, "/ut-ovl/lower1", "/ut-ovl/lower1/shared", "/ut-ovl/lower1/olddir", "/ut-ovl/lower2",
            "/ut-ovl/lower2/shared", "/ut-ovl/lower2/d2", "/ut-ovl/upper", "/ut-ovl/work", Merged };
        foreach (string directory in directories) Expect(Sys.MakeDirectory(directory), 0, "mkdir " + directory);
        Expect(Files.WriteAllText("/ut-ovl/lower2/a.txt", "lower2-a"), 0, "write lower2/a.txt");
        Expect(Files.WriteAllText("/ut-ovl/lower2/shared/x", "x2"), 0, "write lower2/shared/x");
        Expect(Files.WriteAllText("/ut-ovl/lower1/a.txt", "lower1-a"), 0, "write lower1/a.txt");
        Expect(Files.WriteAllText("/ut-ovl/lower1/b.txt", "bee"), 0, "write lower1/b.txt");
        Expect(Files.WriteAllText("/ut-ovl/lower1/gone.txt", "gone"), 0, "write lower1/gone.txt");
        Expect(Files.WriteAllText("/ut-ovl/lower1/shared/y", "y1"), 0, "write lower1/shared/y");
        Expect(Files.WriteAllText("/ut-ovl/lower1/olddir/inner", "inner"), 0, "write lower1/olddir/inner");
    }

    private static string Text(string path) => Files.ReadAllText(path, out long error) ?? Sys.ErrorName(error);

    private static void OverlayLayers()
    {
        MakeOverlayLayers();
        ulong lower1 = TreeChecksum("/ut-ovl/lower1"), lower2 = TreeChecksum("/ut-ovl/lower2");
        InNewMountNamespace(&OverlayLayersInside, "the overlay's layers");
        Check(lower1 == TreeChecksum("/ut-ovl/lower1") && lower2 == TreeChecksum("/ut-ovl/lower2"), "no lower layer was written (checksums)");
        Expect(Text("/ut-ovl/upper/a.txt").Length, 7, "the upper layer kept the container's change after the unmount");
        RemoveTree(OverlayBase);
    }

    private static void OverlayLayersInside()
    {
        Expect(Sys.Mount("overlay", Merged, "overlay", 0, OverlayOptions), 0, "mount -t overlay overlay " + Merged);
        // Read-through: the uppermost layer holding a name answers; directories merge, each name once.
        Expect(Text(Merged + "/a.txt") == "lower1-a" ? 0 : 1, 0, "a.txt reads lower1's: " + Text(Merged + "/a.txt"));
        Check(Text(Merged + "/shared/x") == "x2" && Text(Merged + "/shared/y") == "y1", "shared/ shows both lowers' entries");
        string names = Names(Merged);
        Check(names == "shared olddir a.txt b.txt gone.txt d2 ", "ls: lower1's names then lower2's new ones, each once: " + names);
        // Copy-up: the first write copies the file up; the lower layer keeps its bytes.
        Expect(Files.WriteAllText(Merged + "/a.txt", "changed"), 0, "write a.txt through the overlay");
        Check(Text(Merged + "/a.txt") == "changed" && Text("/ut-ovl/upper/a.txt") == "changed", "the change is in the upper layer");
        Check(Text("/ut-ovl/lower1/a.txt") == "lower1-a", "lower1/a.txt is untouched");
        Expect(Sys.PathStatus("/ut-ovl/lower1/b.txt", out FileStatus lowerBee), 0, "stat lower1/b.txt");
        Expect(Sys.ChangeMode(Merged + "/b.txt", 0x180), 0, "chmod 600 b.txt (a lower file)");
        Expect(Sys.PathStatus(Merged + "/b.txt", out FileStatus bee), 0, "stat it through the overlay");
        Check(bee.Mode == 0x180 && bee.UserId == lowerBee.UserId, "the copy has the new mode and the lower's owner");
        Expect(Sys.PathStatus("/ut-ovl/lower1/b.txt", out FileStatus still), 0, "stat lower1/b.txt again");
        Expect(still.Mode, lowerBee.Mode, "the lower keeps its mode");
        long truncated = Sys.Open(Merged + "/b.txt", OpenFlags.WriteOnly | OpenFlags.Truncate);
        Check(truncated >= 0, "open b.txt with O_TRUNC");
        Sys.Close((int)truncated);
        Expect(Text(Merged + "/b.txt").Length, 0, "it is empty through the overlay");
        Check(Text("/ut-ovl/lower1/b.txt") == "bee", "and whole in lower1");
        // A whiteout hides a removed lower name.
        Expect(Sys.Unlink(Merged + "/gone.txt"), 0, "rm gone.txt");
        Expect(Sys.PathStatus(Merged + "/gone.txt", out FileStatus _), -Errno.ENOENT, "gone.txt is gone");
        Check(Exists("/ut-ovl/upper/.wh.gone.txt") && Exists("/ut-ovl/lower1/gone.txt"), "a whiteout in upper; lower1 still has it");
        Check(Names(Merged).IndexOf("gone") < 0 && Names(Merged).IndexOf(".wh.") < 0, "ls shows neither the name nor its whiteout");
        Expect(Sys.PathStatus(Merged + "/.wh.gone.txt", out FileStatus _), -Errno.ENOENT, "nor does stat find the whiteout");
        Expect(Files.WriteAllText(Merged + "/.wh.mine", "x"), -Errno.EINVAL, "a user may not make a .wh. name");
        // Opaque: a directory removed and made again starts empty.
        Expect(Sys.RemoveDirectory(Merged + "/olddir"), -Errno.ENOTEMPTY, "rmdir of a non-empty lower directory");
        Expect(Sys.Unlink(Merged + "/olddir/inner"), 0, "rm olddir/inner");
        Expect(Sys.RemoveDirectory(Merged + "/olddir"), 0, "rmdir olddir");
        Expect(Sys.MakeDirectory(Merged + "/olddir"), 0, "mkdir olddir again");
        Check(Names(Merged + "/olddir") == "", "the new olddir is empty: " + Names(Merged + "/olddir"));
        Check(Exists("/ut-ovl/upper/olddir/.wh..wh..opq"), "it is opaque (.wh..wh..opq in upper)");
        // Rename: a merged directory is EXDEV; a file is copied up and moved.
        Expect(Sys.Rename(Merged + "/shared", Merged + "/moved"), -Errno.EXDEV, "mv of a merged directory");
        Expect(Sys.Rename(Merged + "/shared/x", Merged + "/x-moved"), 0, "mv of a lower file");
        Check(Text(Merged + "/x-moved") == "x2" && !Exists(Merged + "/shared/x"), "it moved");
        Check(Text("/ut-ovl/lower2/shared/x") == "x2", "lower2 still has it");
        Expect(Sys.MakeDirectory(Merged + "/fresh"), 0, "mkdir an upper-only directory");
        Expect(Sys.Rename(Merged + "/fresh", Merged + "/fresh2"), 0, "mv of it (no lower part)");
        // getcwd inside a merged directory.
        Expect(Sys.ChangeDirectory(Merged + "/shared"), 0, "cd into a merged directory");
        byte* cwd = stackalloc byte[64];
        long length = Sys.GetCurrentDirectory(new Span<byte>(cwd, 64));
        Check(length > 0 && string.FromAscii(cwd, (int)length) == Merged + "/shared", "getcwd names it");
        Expect(Sys.Unmount(Merged), -Errno.EBUSY, "umount while the current directory is inside");
        Sys.ChangeDirectory("/");
        Expect(Sys.Unmount(Merged), 0, "umount");
    }

    /// <summary>Two overlays over one lower layer: each sees its own changes, the lower none.</summary>
    private static void OverlaySharedLower()
    {
        string[] directories = { OverlayBase, "/ut-ovl/image", "/ut-ovl/u1", "/ut-ovl/w1", "/ut-ovl/u2", "/ut-ovl/w2", "/ut-ovl/c1", "/ut-ovl/c2" };
        foreach (string directory in directories) Expect(Sys.MakeDirectory(directory), 0, "mkdir " + directory);
        Expect(Files.WriteAllText("/ut-ovl/image/motd", "hello"), 0, "the image's file");
        ulong image = TreeChecksum("/ut-ovl/image");
        InNewMountNamespace(&TwoContainers, "two overlays over one lower");
        Check(image == TreeChecksum("/ut-ovl/image"), "the shared lower layer was not written (checksum)");
        RemoveTree(OverlayBase);
    }

    private static void TwoContainers()
    {
        Expect(Sys.Mount("overlay", "/ut-ovl/c1", "overlay", 0, "lowerdir=/ut-ovl/image,upperdir=/ut-ovl/u1,workdir=/ut-ovl/w1"), 0, "container one");
        Expect(Sys.Mount("overlay", "/ut-ovl/c2", "overlay", 0, "lowerdir=/ut-ovl/image,upperdir=/ut-ovl/u2,workdir=/ut-ovl/w2"), 0, "container two");
        Expect(Files.WriteAllText("/ut-ovl/c1/motd", "one was here"), 0, "one writes motd");
        Expect(Sys.Unlink("/ut-ovl/c2/motd"), 0, "two deletes motd");
        Expect(Files.WriteAllText("/ut-ovl/c2/own", "two's"), 0, "two makes a file of its own");
        Check(Text("/ut-ovl/c1/motd") == "one was here", "one sees its change");
        Check(!Exists("/ut-ovl/c2/motd") && !Exists("/ut-ovl/c1/own"), "two sees its deletion, one not two's file");
        Check(Text("/ut-ovl/image/motd") == "hello", "the image still says hello");
        Expect(Sys.Unmount("/ut-ovl/c1"), 0, "umount one");
        Expect(Sys.Unmount("/ut-ovl/c2"), 0, "umount two");
    }

    // The names a directory lists, each followed by a space (or the error's name).
    private static string Names(string path)
    {
        long fd = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0) return Sys.ErrorName(fd);
        string names = "";
        for (int index = 0; Sys.ReadDirectory((int)fd, index, out DirectoryEntry entry) == 1; index++)
            names += string.FromAscii(entry.Name, entry.NameLength) + " ";
        Sys.Close((int)fd);
        return names;
    }

    // FNV-1a over a tree's names, modes, owners and bytes, depth first: equal before and after means unwritten.
    private static ulong TreeChecksum(string path)
    {
        ulong sum = 1469598103934665603UL;
        if (Sys.PathStatus(path, out FileStatus status) < 0) return 0;
        sum = (sum ^ (ulong)status.Mode) * 1099511628211UL;
        sum = (sum ^ (ulong)status.UserId) * 1099511628211UL;
        if (status.Kind == 1)
        {
            string text = Files.ReadAllText(path, out long _) ?? "";
            for (int i = 0; i < text.Length; i++) sum = (sum ^ text[i]) * 1099511628211UL;
            return sum;
        }
        long fd = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0) return sum;
        for (int index = 0; Sys.ReadDirectory((int)fd, index, out DirectoryEntry entry) == 1; index++)
        {
            string name = string.FromAscii(entry.Name, entry.NameLength);
            for (int i = 0; i < name.Length; i++) sum = (sum ^ name[i]) * 1099511628211UL;
            sum = (sum ^ TreeChecksum(path + "/" + name)) * 1099511628211UL;
        }
        Sys.Close((int)fd);
        return sum;
    }

    // rm -r: the directory's entries (deepest first), then itself.
    private static void RemoveTree(string path)
    {
        if (Sys.Unlink(path) == 0) return;
        long fd = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0) return;
        while (Sys.ReadDirectory((int)fd, 0, out DirectoryEntry entry) == 1)
        {
            string child = path + "/" + string.FromAscii(entry.Name, entry.NameLength);
            RemoveTree(child);
            if (Exists(child)) break;                       // cannot be removed: stop rather than loop
        }
        Sys.Close((int)fd);
        Sys.RemoveDirectory(path);
    }
}
