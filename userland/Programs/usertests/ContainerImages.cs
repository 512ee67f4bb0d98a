using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for container images (`ctr images`, userland/Programs/ctr/): the images the Makefile
/// builds with tools/ImageTool and ships in the initrd at /images. Importing base and app unpacks three
/// layers' worth into two folders (app shares base's layer), read-only; `images rm` keeps a layer another
/// image still has. Every hostile image (/images/hostile/KIND.tar) is refused with its own message, and
/// leaves no record and no layer, not even the harmless layer under the bad one. Each case uses a store
/// of its own under /tmp (ctr --root), so it does not touch the disk's.
/// </summary>
public static unsafe partial class UserTests
{
    private const string ImageStoreRoot = "/tmp/ut-ctr";

    private static void ContainerImageImport()
    {
        string output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", ImageStoreRoot, "images", "import", "/images/base.tar" }, out int status);
        Expect(status, 0, "ctr images import /images/base.tar succeeds: " + output);
        Check(output.Contains("imported base sha256:"), "and says so with the manifest's digest");
        output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", ImageStoreRoot, "images", "import", "/images/app.tar" }, out status);
        Expect(status, 0, "ctr images import /images/app.tar succeeds: " + output);
        Check(output.Contains("already in the store, shared"), "app's first layer is base's: found in the store, not unpacked again");
        Expect(CountNames(ImageStoreRoot + "/layers"), 2, "two layer folders for two images of three layers in all");

        string[] layers = FirstLines(Files.ReadAllText(ImageStoreRoot + "/images/app/layers", out long _));
        Expect(layers.Length, 2, "app's record names two layers");
        string baseLayer = ImageStoreRoot + "/layers/" + layers[0].Substring(7, 56);
        string appLayer = ImageStoreRoot + "/layers/" + layers[1].Substring(7, 56);
        Check(Sys.PathStatus(baseLayer + "/bin/sh", out FileStatus shell) == 0 && shell.Kind == 1, "the base layer holds bin/sh");
        Expect(shell.Mode & 0x1FF, 0x16D, "unpacked without write bits (0755 -> 0555)");
        Check(Sys.PathStatus(baseLayer + "/bin", out FileStatus folder) == 0 && (folder.Mode & 0x1FF) == 0x16D && folder.UserId == 0, "its folders are root's, 0555");
        Check(Sys.LinkStatus(appLayer + "/bin/.wh.echo", out FileStatus _) == 0, "app's layer keeps the OCI whiteout .wh.echo for the overlay");
        Check(Sys.PathStatus(appLayer + "/bin/sh", out FileStatus _) < 0, "and only its own files: no copy of base's");

        output = Capture("/bin/ctr", new[] { "ctr", "--root", ImageStoreRoot, "images", "ls" }, out status);
        Expect(status, 0, "ctr images ls");
        Check(output.Contains("base") && output.Contains("app") && output.Contains("sha256:"), "lists both images with their digests: " + output);

        output = Capture("/bin/ctr", new[] { "ctr", "--root", ImageStoreRoot, "images", "rm", "app" }, out status);
        Expect(status, 0, "ctr images rm app");
        Check(Sys.PathStatus(baseLayer, out FileStatus _) == 0, "base's layer stays: base still has it");
        Check(Sys.PathStatus(appLayer, out FileStatus _) < 0, "app's own layer is gone");
        output = Capture("/bin/ctr", new[] { "ctr", "--root", ImageStoreRoot, "images", "rm", "base" }, out status);
        Expect(status, 0, "ctr images rm base");
        Expect(CountNames(ImageStoreRoot + "/layers"), 0, "no layer left");
        Expect(CountNames(ImageStoreRoot + "/images"), 0, "no image record left");
        Capture("/bin/ctr", new[] { "ctr", "--root", ImageStoreRoot, "images", "rm", "base" }, out status);
        Expect(status, 1, "removing it again is refused");
        RemoveEmptyStore(ImageStoreRoot);
    }

    private static void ContainerImageRefusals()
    {
        string[] kinds = { "wrong-digest", "dotdot", "absolute", "link-outside", "truncated", "huge", "missing-blob", "bad-json" };
        string[] messages =
        {
            "digest mismatch", "a path with ..", "an absolute path", "a link pointing outside",
            "truncated", "more than the archive holds", "the blob is missing", "malformed JSON",
        };
        for (int i = 0; i < kinds.Length; i++)
        {
            string output = CaptureAll("/bin/ctr", new[] { "ctr", "--root", ImageStoreRoot, "images", "import", "/images/hostile/" + kinds[i] + ".tar" }, out int status);
            Expect(status, 1, kinds[i] + ": refused (exit 1)");
            Check(output.Contains("refused") && output.Contains(messages[i]), kinds[i] + ": with its reason, \"" + messages[i] + "\": " + output);
            Expect(CountNames(ImageStoreRoot + "/layers"), 0, kinds[i] + ": no layer unpacked, not even the harmless one under the bad one");
            Expect(CountNames(ImageStoreRoot + "/images"), 0, kinds[i] + ": no image record");
        }
        Check(Sys.LinkStatus("/tmp/escaped.txt", out FileStatus _) < 0 && Sys.LinkStatus(ImageStoreRoot + "/escaped.txt", out FileStatus _) < 0
              && Sys.LinkStatus("/etc/escaped.txt", out FileStatus _) < 0, "no file escaped the store");
        RemoveEmptyStore(ImageStoreRoot);
    }

    /// <summary>As Capture, with the program's errors in the same pipe: a refusal's message is on stderr.</summary>
    private static string CaptureAll(string path, string[] arguments, out int status)
    {
        Sys.Pipe(out PipeDescriptors pipe);
        long pid = Sys.Spawn(path, arguments, Console.StandardInput, pipe.Write, pipe.Write);
        Sys.Close(pipe.Write);
        string output = Console.ReadAllFrom(pipe.Read);
        Sys.Close(pipe.Read);
        status = -1;
        if (pid > 0) Sys.Wait((int)pid, out status);
        return output;
    }

    /// <summary>Names in a folder (0 when it does not exist: a store that was never made holds nothing).</summary>
    private static int CountNames(string path)
    {
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (descriptor < 0) return 0;
        int count = 0;
        for (int index = 0; Sys.ReadDirectory((int)descriptor, index, out DirectoryEntry entry) == 1; index++)
            if (!(entry.NameLength == 1 && entry.Name[0] == '.') && !(entry.NameLength == 2 && entry.Name[0] == '.' && entry.Name[1] == '.')) count++;
        Sys.Close((int)descriptor);
        return count;
    }

    private static string[] FirstLines(string text) => text == null ? new string[0] : text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void RemoveEmptyStore(string root)
    {
        Sys.RemoveDirectory(root + "/layers");
        Sys.RemoveDirectory(root + "/images");
        Sys.RemoveDirectory(root);
    }
}
