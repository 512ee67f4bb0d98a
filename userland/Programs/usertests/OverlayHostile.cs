using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests: the overlay against a careless or hostile mounter and user: bad options and overlapping
/// layers (each refused with Linux's errno), a name with no room for its whiteout, a thousand whiteouts,
/// every entry deleted, and the kernel's memory counted before the mount and after the unmount.
/// </summary>
public static unsafe partial class UserTests
{
    private const int ManyLowerFiles = 1000;

    private static void OverlayRefusals()
    {
        string[] directories = { OverlayBase, "/ut-ovl/lower", "/ut-ovl/lower/inner", "/ut-ovl/upper", "/ut-ovl/work", Merged };
        foreach (string directory in directories) Expect(Sys.MakeDirectory(directory), 0, "mkdir " + directory);
        Expect(Files.WriteAllText("/ut-ovl/file", "f"), 0, "a file");
        InNewMountNamespace(&OverlayRefusalsInside, "the overlay's refusals");
        RemoveTree(OverlayBase);
    }

    private static void OverlayRefusalsInside()
    {
        Expect(MountOverlay("upperdir=/ut-ovl/upper,workdir=/ut-ovl/work"), -Errno.EINVAL, "no lowerdir");
        Expect(MountOverlay("lowerdir=/ut-ovl/lower,lowerdir=/ut-ovl/lower"), -Errno.EINVAL, "lowerdir twice");
        Expect(MountOverlay("lowerdir=/ut-ovl/lower,size=10"), -Errno.EINVAL, "an option the overlay does not have");
        Expect(MountOverlay("lowerdir=/ut-ovl/lower,upperdir=/ut-ovl/upper"), -Errno.EINVAL, "upperdir without workdir");
        Expect(MountOverlay("lowerdir=/ut-ovl/lower::/ut-ovl/lower"), -Errno.EINVAL, "an empty lower path");
        Expect(MountOverlay("lowerdir=/ut-ovl/missing,upperdir=/ut-ovl/upper,workdir=/ut-ovl/work"), -Errno.ENOENT, "lowerdir missing");
        Expect(MountOverlay("lowerdir=/ut-ovl/file"), -Errno.ENOTDIR, "a file as lowerdir");
        Expect(MountOverlay("lowerdir=/ut-ovl/lower,upperdir=/ut-ovl/lower/inner,workdir=/ut-ovl/work"), -Errno.ELOOP, "upperdir inside lowerdir");
        Expect(MountOverlay("lowerdir=/ut-ovl/lower,upperdir=/ut-ovl/upper,workdir=/ut-ovl/lower/inner"), -Errno.ELOOP, "workdir inside lowerdir");
        Expect(MountOverlay("lowerdir=/ut-ovl/lower,upperdir=/ut-ovl/upper,workdir=/ut-ovl/upper"), -Errno.EINVAL, "workdir is upperdir");
        Expect(MountOverlay("lowerdir=/ut-ovl/lower,upperdir=/ut-ovl/upper,workdir=/dev"), -Errno.EINVAL, "workdir on another volume");
        Check(!Listed(Merged), "nothing was mounted");

        Expect(MountOverlay("lowerdir=/ut-ovl/lower,upperdir=/ut-ovl/upper,workdir=/ut-ovl/work"), 0, "a good overlay");
        string longest = "n2345678901234567890123456789012345678901234567890123456";      // 56: room for ".wh."
        Expect(Files.WriteAllText(Merged + "/" + longest, "x"), 0, "a 56-character name");
        Expect(Files.WriteAllText(Merged + "/" + longest + "7", "x"), -Errno.ENAMETOOLONG, "57 characters: no room for its whiteout");
        Expect(Sys.Unlink(Merged + "/" + longest), 0, "rm the 56-character name");
        Expect(Sys.Mount("overlay", Merged + "/inner", "overlay", 0, "lowerdir=" + Merged), 0, "an overlay over an overlay (read-only)");
        Expect(Files.WriteAllText(Merged + "/inner/x", "x"), -Errno.EROFS, "a read-only overlay refuses a new file");
        Expect(Sys.Unmount(Merged + "/inner"), 0, "umount the inner one");
        Expect(Sys.Unmount(Merged), 0, "umount");
    }

    private static long MountOverlay(string options) => Sys.Mount("overlay", Merged, "overlay", 0, options);

    /// <summary>A thousand whiteouts, every entry deleted, then the kernel's frames and heap as before the mount.</summary>
    private static void OverlayManyWhiteouts()
    {
        string[] directories = { OverlayBase, "/ut-ovl/lower", "/ut-ovl/lower/sub", "/ut-ovl/upper", "/ut-ovl/work", Merged };
        foreach (string directory in directories) Expect(Sys.MakeDirectory(directory), 0, "mkdir " + directory);
        int written = 0;
        for (int i = 0; i < ManyLowerFiles; i++)
            if (Files.WriteAllText("/ut-ovl/lower/" + i, "x") == 0) written++;
        Expect(written, ManyLowerFiles, "a thousand lower files");
        Expect(Files.WriteAllText("/ut-ovl/lower/sub/deep", "d"), 0, "and one in a subdirectory");
        ulong lower = TreeChecksum("/ut-ovl/lower");
        // Counted here and after the child is gone: what the child's own memory held is free again, and
        // the child removes the upper layer's thousand whiteouts itself after the unmount.
        IpcUsage before = Usage();
        InNewMountNamespace(&DeleteEverything, "a thousand whiteouts");
        long after = FreeFramesAtLeast(before.FreeFrames - 2);
        Check(after >= before.FreeFrames - 2, "the overlay, unmounted, and its upper layer, removed, gave their frames back: " +
            before.FreeFrames + " free before, " + after + " after");
        Check(Usage().KernelHeapBytes <= before.KernelHeapBytes + 256, "and the kernel heap: " + before.KernelHeapBytes + " bytes before, " +
            Usage().KernelHeapBytes + " after");
        Check(lower == TreeChecksum("/ut-ovl/lower"), "the lower layer was not written (checksum)");
        RemoveTree(OverlayBase);
    }

    private static void DeleteEverything()
    {
        Expect(MountOverlay("lowerdir=/ut-ovl/lower,upperdir=/ut-ovl/upper,workdir=/ut-ovl/work"), 0, "mount the overlay");
        Expect(Files.WriteAllText(Merged + "/7", "copied up"), 0, "copy one file up");
        int removed = 0;
        for (int i = 0; i < ManyLowerFiles; i++)
            if (Sys.Unlink(Merged + "/" + i) == 0) removed++;
        Expect(removed, ManyLowerFiles, "rm of a thousand lower files");
        Expect(Sys.RemoveDirectory(Merged + "/sub"), -Errno.ENOTEMPTY, "rmdir sub while it shows a file");
        Expect(Sys.Unlink(Merged + "/sub/deep"), 0, "rm sub/deep");
        Expect(Sys.RemoveDirectory(Merged + "/sub"), 0, "rmdir sub");
        Check(Names(Merged) == "", "every entry deleted: ls shows nothing: " + Names(Merged));
        Expect(Sys.PathStatus("/ut-ovl/upper", out FileStatus upper), 0, "stat the upper layer");
        Expect(upper.Size, ManyLowerFiles + 1, "it holds the thousand and one whiteouts");
        Expect(Sys.Unmount(Merged), 0, "umount");
        RemoveTree("/ut-ovl/upper");
        RemoveTree("/ut-ovl/work");
        Check(!Exists("/ut-ovl/upper"), "the upper layer is removed");
    }
}
