using System;
using Abi;
using TeachOS;

/// <summary>
/// overlaytest: the test program of the overlay lab (docs/assignments/overlay.md): whiteouts and opaque
/// directories in the overlay file system (kernel/Fs/Overlay). Each part makes its own layers as plain
/// directories on the RAM file system, /tmp/ovl-PART/{l1,l2,l3,upper,work}, mounts an overlay of them at
/// /tmp/ovl-PART/m (lowerdir=l1:l2:l3, l1 the uppermost lower layer, as `ctr` stacks an image's layers),
/// works through the mount, and then looks at the layers directly: what the overlay left in the upper
/// layer is what `ctr commit` would make a new image layer of, so a mark in the wrong place is an error
/// even when the merged view looks right. It unmounts and removes everything at the end.
///
/// Two parts (lookup, readdir) read layers made the way an image's layers are unpacked, with whiteouts
/// and an opaque marker already in the lower layers; the others make the marks through the overlay.
/// </summary>
public static unsafe class OverlayTest
{
    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "lookup", Body = &Lookup },
        new GradePart { Name = "readdir", Body = &ReadDirectory },
        new GradePart { Name = "unlink", Body = &Unlink },
        new GradePart { Name = "recreate", Body = &Recreate },
        new GradePart { Name = "rename", Body = &Rename },
    });

    // ---- the layers -----------------------------------------------------------------------------

    private static string s_base, s_merged;

    // Makes /tmp/ovl-PART with empty l1, l2, l3, upper, work and m (a leftover of a crashed run removed first).
    private static void MakeLayers(string part)
    {
        Sys.MakeDirectory("/tmp");
        s_base = "/tmp/ovl-" + part;
        s_merged = s_base + "/m";
        Sys.Unmount(s_merged);
        RemoveTree(s_base);
        Sys.MakeDirectory(s_base);
        string[] layers = { "l1", "l2", "l3", "upper", "work", "m" };
        foreach (string layer in layers) Sys.MakeDirectory(s_base + "/" + layer);
    }

    private static long Mount() => Sys.Mount("overlay", s_merged, "overlay", 0,
        "lowerdir=" + s_base + "/l1:" + s_base + "/l2:" + s_base + "/l3,upperdir=" + s_base + "/upper,workdir=" + s_base + "/work");

    private static void Unmount()
    {
        Sys.Unmount(s_merged);
        RemoveTree(s_base);
    }

    // A file in a layer (or through the overlay): "l1/a" is /tmp/ovl-PART/l1/a, "m/a" the merged view's a.
    private static void Write(string path, string text) => Files.WriteAllText(s_base + "/" + path, text);

    private static void MakeDirectory(string path) => Sys.MakeDirectory(s_base + "/" + path);

    private static string P(string path) => s_base + "/" + path;

    // What a file holds, or the error's name ("-ENOENT").
    private static string Text(string path)
    {
        string text = Files.ReadAllText(P(path), out long error);
        return text ?? "-" + Sys.ErrorName(error);
    }

    private static long Stat(string path) => Sys.LinkStatus(P(path), out FileStatus unused);

    private static bool Exists(string path) => Stat(path) == 0;

    // The names a directory lists, in its order, each followed by a space (or the error's name).
    private static string Names(string path)
    {
        long descriptor = Sys.Open(P(path), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (descriptor < 0) return "-" + Sys.ErrorName(descriptor);
        string names = "";
        for (int index = 0; Sys.ReadDirectory((int)descriptor, index, out DirectoryEntry entry) == 1; index++)
            names += string.FromAscii(entry.Name, entry.NameLength) + " ";
        Sys.Close((int)descriptor);
        return names;
    }

    // Does the listing hold exactly these names, each once, in any order?
    private static bool Lists(string names, string[] expected)
    {
        int length = 0;
        foreach (string name in expected)
        {
            if (Count(names, name) != 1) return false;
            length += name.Length + 1;
        }
        return names.Length == length;
    }

    // How often " NAME " is in " " + names: whole names only.
    private static int Count(string names, string name)
    {
        string all = " " + names, word = " " + name + " ";
        int found = 0;
        for (int at = 0; at + word.Length <= all.Length; at++)
        {
            int same = 0;
            while (same < word.Length && all[at + same] == word[same]) same++;
            if (same == word.Length) found++;
        }
        return found;
    }

    private static string Listing(string path) => "ls " + path + ": \"" + Names(path) + "\"";

    // ---- lookup and readdir: marks made as an image's layers carry them ---------------------------

    // l3 (the bottom): deep, d/{x,y}, e/old; l2: a, b; l1: .wh.a, .wh.deep, c, d/.wh.x, e/ opaque with e/new.
    private static void MakeImageLayers(string part)
    {
        MakeLayers(part);
        Write("l3/deep", "deep3");
        MakeDirectory("l3/d");
        Write("l3/d/x", "x3");
        Write("l3/d/y", "y3");
        MakeDirectory("l3/e");
        Write("l3/e/old", "old3");
        Write("l2/a", "a2");
        Write("l2/b", "b2");
        Write("l1/.wh.a", "");
        Write("l1/.wh.deep", "");
        Write("l1/c", "c1");
        MakeDirectory("l1/d");
        Write("l1/d/.wh.x", "");
        MakeDirectory("l1/e");
        Write("l1/e/.wh..wh..opq", "");
        Write("l1/e/new", "new1");
    }

    private static void Lookup()
    {
        MakeImageLayers("lookup");
        long mounted = Mount();
        Grade.Check("mounted", mounted == 0, "mount -t overlay: " + Grade.Describe(mounted));
        Grade.Check("whiteout-hides", Stat("m/a") == -Errno.ENOENT && Text("m/a") == "-ENOENT" && Text("m/b") == "b2",
            "l1/.wh.a over l2/a: stat m/a " + Grade.Describe(Stat("m/a")) + ", open m/a " + Text("m/a") + "; m/b (not whited out) reads " + Text("m/b"));
        Grade.Check("hides-every-layer-below", Stat("m/deep") == -Errno.ENOENT,
            "l1/.wh.deep over l3/deep (l2 has none): stat m/deep " + Grade.Describe(Stat("m/deep")));
        Grade.Check("whiteout-in-directory", Stat("m/d/x") == -Errno.ENOENT && Text("m/d/y") == "y3",
            "l1/d/.wh.x over l3/d/x: stat m/d/x " + Grade.Describe(Stat("m/d/x")) + "; m/d/y reads " + Text("m/d/y"));
        Grade.Check("opaque-lookup", Stat("m/e/old") == -Errno.ENOENT && Text("m/e/new") == "new1",
            "l1/e opaque over l3/e: stat m/e/old " + Grade.Describe(Stat("m/e/old")) + "; m/e/new reads " + Text("m/e/new"));
        Unmount();
    }

    private static void ReadDirectory()
    {
        MakeImageLayers("readdir");
        long mounted = Mount();
        Grade.Check("mounted", mounted == 0, "mount -t overlay: " + Grade.Describe(mounted));
        string root = Names("m");
        Grade.Check("listing-hides", Lists(root, new[] { "b", "c", "d", "e" }),
            "ls m: \"" + root + "\" (expected b c d e in any order: a and deep whited out, no .wh. name)");
        string d = Names("m/d"), e = Names("m/e");
        Grade.Check("listing-in-directories", Lists(d, new[] { "y" }) && Lists(e, new[] { "new" }),
            "ls m/d: \"" + d + "\" (expected y); ls m/e: \"" + e + "\" (expected new: e is opaque)");
        Unmount();
    }

    // ---- unlink: the overlay writes the whiteouts ----------------------------------------------------

    private static void Unlink()
    {
        MakeLayers("unlink");
        Write("l1/f", "eff");
        Write("l1/g", "gee");
        Write("l1/keep", "kept");
        long mounted = Mount();
        Grade.Check("mounted", mounted == 0, "mount -t overlay: " + Grade.Describe(mounted));

        long first = Sys.Unlink(P("m/f")), second = Sys.Unlink(P("m/f"));
        string names = Names("m");
        Grade.Check("unlink-lower", first == 0 && Stat("m/f") == -Errno.ENOENT && Count(names, "f") == 0 && second == -Errno.ENOENT && Text("m/keep") == "kept",
            "rm m/f: " + Grade.Describe(first) + "; then stat m/f " + Grade.Describe(Stat("m/f")) + ", " + Listing("m") + ", rm m/f again " + Grade.Describe(second));
        Grade.Check("whiteout-in-upper", Exists("upper/.wh.f") && !Exists("upper/f") && Text("l1/f") == "eff",
            "upper/.wh.f " + (Exists("upper/.wh.f") ? "exists" : "is missing") + ", " + Listing("upper") + "; l1/f reads " + Text("l1/f"));

        long written = Files.WriteAllText(P("m/g"), "changed");
        string afterWrite = Text("m/g");
        long removed = Sys.Unlink(P("m/g"));
        Grade.Check("unlink-copied-up", written == 0 && afterWrite == "changed" && removed == 0 && Stat("m/g") == -Errno.ENOENT
                && Exists("upper/.wh.g") && !Exists("upper/g") && Text("l1/g") == "gee",
            "write m/g: " + Grade.Describe(written) + " (reads " + afterWrite + "), rm m/g: " + Grade.Describe(removed) + ", then m/g reads " + Text("m/g")
            + "; " + Listing("upper") + "; l1/g reads " + Text("l1/g"));

        long made = Files.WriteAllText(P("m/mine"), "mine");
        long gone = Sys.Unlink(P("m/mine"));
        Grade.Check("unlink-upper-only", made == 0 && gone == 0 && Stat("m/mine") == -Errno.ENOENT && !Exists("upper/mine") && !Exists("upper/.wh.mine"),
            "a new file m/mine (no lower part): write " + Grade.Describe(made) + ", rm " + Grade.Describe(gone) + ", then " + Listing("upper")
            + " (a whiteout for a name no lower layer holds is litter in the committed layer)");
        Unmount();
    }

    // ---- a name made again where a whiteout is ------------------------------------------------------

    private static void Recreate()
    {
        MakeLayers("recreate");
        Write("l1/h", "old-h");
        MakeDirectory("l1/k");
        Write("l1/k/k1", "one");
        Write("l1/k/k2", "two");
        long mounted = Mount();
        Grade.Check("mounted", mounted == 0, "mount -t overlay: " + Grade.Describe(mounted));

        long removed = Sys.Unlink(P("m/h"));
        long written = Files.WriteAllText(P("m/h"), "new-h");
        string names = Names("m");
        Grade.Check("create-over-whiteout", removed == 0 && written == 0 && Text("m/h") == "new-h" && Count(names, "h") == 1 && !Exists("upper/.wh.h"),
            "rm m/h: " + Grade.Describe(removed) + ", write m/h: " + Grade.Describe(written) + ", m/h reads " + Text("m/h") + "; " + Listing("m") + "; " + Listing("upper"));

        long one = Sys.Unlink(P("m/k/k1")), two = Sys.Unlink(P("m/k/k2"));
        long rmdir = Sys.RemoveDirectory(P("m/k"));
        Grade.Check("rmdir-after-emptying", one == 0 && two == 0 && rmdir == 0 && Stat("m/k") == -Errno.ENOENT && Exists("upper/.wh.k") && !Exists("upper/k"),
            "rm m/k/k1 " + Grade.Describe(one) + ", rm m/k/k2 " + Grade.Describe(two) + ", rmdir m/k " + Grade.Describe(rmdir) + ", then stat m/k "
            + Grade.Describe(Stat("m/k")) + "; " + Listing("upper"));

        long mkdir = Sys.MakeDirectory(P("m/k"));
        string inside = Names("m/k");
        Grade.Check("mkdir-opaque", mkdir == 0 && inside == "" && Stat("m/k/k1") == -Errno.ENOENT && Exists("upper/k/.wh..wh..opq") && !Exists("upper/.wh.k"),
            "mkdir m/k again: " + Grade.Describe(mkdir) + ", ls m/k: \"" + inside + "\" (expected empty), stat m/k/k1 " + Grade.Describe(Stat("m/k/k1"))
            + "; " + Listing("upper") + ", " + Listing("upper/k"));

        Write("m/k/n", "n");
        long unlinked = Sys.Unlink(P("m/k/n"));
        long again = Sys.RemoveDirectory(P("m/k"));
        names = Names("m");
        Grade.Check("rmdir-opaque", unlinked == 0 && again == 0 && Stat("m/k") == -Errno.ENOENT && Count(names, "k") == 0 && Exists("upper/.wh.k"),
            "the new m/k removed (rmdir " + Grade.Describe(again) + "): stat m/k " + Grade.Describe(Stat("m/k")) + ", m/k/k1 reads " + Text("m/k/k1")
            + "; " + Listing("m") + "; " + Listing("upper"));
        Unmount();
    }

    // ---- rename: the old name whited out, a whited-out new name taken --------------------------------

    private static void Rename()
    {
        MakeLayers("rename");
        Write("l1/r", "arr");
        Write("l1/s", "ess");
        MakeDirectory("l1/old");
        Write("l1/old/o1", "o1");
        long mounted = Mount();
        Grade.Check("mounted", mounted == 0, "mount -t overlay: " + Grade.Describe(mounted));

        long moved = Sys.Rename(P("m/r"), P("m/r2"));
        Grade.Check("rename-lower", moved == 0 && Text("m/r2") == "arr" && Stat("m/r") == -Errno.ENOENT && Exists("upper/.wh.r") && Text("l1/r") == "arr",
            "mv m/r m/r2: " + Grade.Describe(moved) + "; m/r2 reads " + Text("m/r2") + ", stat m/r " + Grade.Describe(Stat("m/r")) + "; " + Listing("upper"));

        long removed = Sys.Unlink(P("m/s"));
        long onto = Sys.Rename(P("m/r2"), P("m/s"));
        string names = Names("m");
        Grade.Check("rename-onto-whiteout", removed == 0 && onto == 0 && Text("m/s") == "arr" && Count(names, "s") == 1 && !Exists("upper/.wh.s"),
            "rm m/s: " + Grade.Describe(removed) + ", mv m/r2 m/s: " + Grade.Describe(onto) + "; m/s reads " + Text("m/s") + "; " + Listing("m") + "; " + Listing("upper"));

        long emptied = Sys.Unlink(P("m/old/o1")), rmdir = Sys.RemoveDirectory(P("m/old"));
        long mkdir = Sys.MakeDirectory(P("m/new"));
        long written = Files.WriteAllText(P("m/new/n1"), "n1");
        long directory = Sys.Rename(P("m/new"), P("m/old"));
        string inside = Names("m/old");
        Grade.Check("rename-directory-opaque", emptied == 0 && rmdir == 0 && mkdir == 0 && written == 0 && directory == 0 && Lists(inside, new[] { "n1" })
                && Stat("m/old/o1") == -Errno.ENOENT && Exists("upper/old/.wh..wh..opq") && !Exists("upper/.wh.old"),
            "rm m/old/o1 " + Grade.Describe(emptied) + ", rmdir m/old " + Grade.Describe(rmdir) + ", mkdir m/new " + Grade.Describe(mkdir) + " with n1 "
            + Grade.Describe(written) + ", mv m/new m/old: " + Grade.Describe(directory) + "; ls m/old: \"" + inside + "\" (expected n1); "
            + Listing("upper") + ", " + Listing("upper/old"));
        Unmount();
    }

    // ---- cleaning up ----------------------------------------------------------------------------------

    // rm -r: the directory's entries (deepest first), then itself.
    private static void RemoveTree(string path)
    {
        if (Sys.Unlink(path) != -Errno.EISDIR) return;
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (descriptor >= 0)
        {
            var names = new string[64];
            int count = 0;
            for (int index = 0; count < names.Length && Sys.ReadDirectory((int)descriptor, index, out DirectoryEntry entry) == 1; index++)
                names[count++] = string.FromAscii(entry.Name, entry.NameLength);
            Sys.Close((int)descriptor);
            for (int i = 0; i < count; i++) RemoveTree(path + "/" + names[i]);
        }
        Sys.RemoveDirectory(path);
    }
}
