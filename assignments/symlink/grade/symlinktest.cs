using System;
using Abi;
using TeachOS;

/// <summary>
/// symlinktest: the test program of the symlink lab (docs/assignments/symlink.md), 6.1810's
/// "symbolic links" on TeachOS. Every part runs twice: on the disk (/disk, a fresh image the grader
/// attaches: checks.sh's --disk) and on the RAM file system (/tmp), since path resolution is the
/// VFS's and must work the same on both. Each part makes a directory of its own and removes it.
/// </summary>
public static unsafe class SymlinkTest
{
    private const int KindFile = 1, KindDirectory = 2, KindLink = 5;
    private static readonly string[] Roots = { "/disk/symlinktest", "/tmp/symlinktest" };

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "basic", Body = &Basic },
        new GradePart { Name = "readlink", Body = &ReadLinkCutsWithoutTerminator },
        new GradePart { Name = "dangling", Body = &DanglingLinks },
        new GradePart { Name = "loops", Body = &LoopsEndInELoop },
        new GradePart { Name = "nofollow", Body = &NoFollow },
        new GradePart { Name = "directories", Body = &DirectoriesAndRelativeTargets },
        new GradePart { Name = "race", Body = &SymlinkUnlinkRace },
    });

    // ---- helpers ----------------------------------------------------------------------------------

    private static void MakeFile(string path, string text)
    {
        long descriptor = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (descriptor < 0) return;
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
        Sys.Write((int)descriptor, bytes);
        Sys.Close((int)descriptor);
    }

    // The first bytes of the file at `path` opened with `flags` as text, or the error ("-ENOENT").
    private static string Contents(string path, int flags = OpenFlags.ReadOnly)
    {
        long descriptor = Sys.Open(path, flags);
        if (descriptor < 0) return Grade.Describe(descriptor);
        byte[] bytes = new byte[32];
        long read = Sys.Read((int)descriptor, bytes);
        Sys.Close((int)descriptor);
        if (read < 0) return "read " + Grade.Describe(read);
        var chars = new char[read];
        for (int i = 0; i < read; i++) chars[i] = (char)bytes[i];
        return "\"" + new string(chars) + "\"";
    }

    private static string ReadLink(string path)
    {
        byte[] bytes = new byte[256];
        long length = Sys.ReadLink(path, bytes);
        if (length < 0) return Grade.Describe(length);
        var chars = new char[length];
        for (int i = 0; i < length; i++) chars[i] = (char)bytes[i];
        return "\"" + new string(chars) + "\"";
    }

    // Makes the part's directory under each root (and /tmp itself, on the RAM file system).
    private static void Prepare(string root, params string[] leftovers)
    {
        Sys.MakeDirectory("/tmp");
        foreach (string name in leftovers) Sys.Unlink(root + "/" + name);
        Sys.MakeDirectory(root);
    }

    private static void Remove(string root, params string[] names)
    {
        foreach (string name in names)
            if (Sys.Unlink(root + "/" + name) == -Errno.EISDIR) Sys.RemoveDirectory(root + "/" + name);
        Sys.RemoveDirectory(root);
    }

    private static string Where(string root) => root.StartsWith("/disk") ? "disk" : "ram";

    // ---- parts --------------------------------------------------------------------------------------

    private static void Basic()
    {
        foreach (string root in Roots)
        {
            Prepare(root, "file", "link");
            MakeFile(root + "/file", "hello");
            long made = Sys.SymbolicLink(root + "/file", root + "/link");
            string through = Contents(root + "/link");
            long lstat = Sys.LinkStatus(root + "/link", out FileStatus link);
            long stat = Sys.PathStatus(root + "/link", out FileStatus target);
            Grade.Check("symlink-" + Where(root), made == 0 && through == "\"hello\"",
                "symlink(\"" + root + "/file\", \"" + root + "/link\") returned " + Grade.Describe(made) + "; open of the link read " + through + " (expected \"hello\")");
            Grade.Check("stat-" + Where(root), lstat == 0 && link.Kind == KindLink && link.Size == (root + "/file").Length && stat == 0 && target.Kind == KindFile && target.Size == 5,
                "lstat: " + Grade.Describe(lstat) + ", kind " + link.Kind + ", size " + link.Size + " (expected a link, kind 5, of the target's length " + (root + "/file").Length +
                "); stat: " + Grade.Describe(stat) + ", kind " + target.Kind + ", size " + target.Size + " (expected the file: kind 1, 5 bytes)");
            string text = ReadLink(root + "/link");
            Grade.Check("readlink-" + Where(root), text == "\"" + root + "/file\"", "readlink gave " + text + "; expected \"" + root + "/file\"");
            Remove(root, "link", "file");
        }
    }

    private static void ReadLinkCutsWithoutTerminator()
    {
        foreach (string root in Roots)
        {
            Prepare(root, "long");
            const string Target = "a-target-of-twenty-nine-bytes";
            long made = Sys.SymbolicLink(Target, root + "/long");
            byte[] bytes = new byte[16];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = 0xee;
            long cut = Sys.ReadLink(root + "/long", new Span<byte>(bytes, 0, 5));
            bool prefix = cut == 5 && bytes[0] == (byte)'a' && bytes[4] == (byte)'r';
            bool untouched = true;
            for (int i = 5; i < bytes.Length; i++) untouched &= bytes[i] == 0xee;
            long notLink = Sys.ReadLink(root, bytes);
            Grade.Check("readlink-cut-" + Where(root), made == 0 && prefix && untouched && notLink == -Errno.EINVAL,
                "readlink into 5 bytes of a 29-byte target returned " + Grade.Describe(cut) + " with \"" + (char)bytes[0] + (char)bytes[1] + (char)bytes[2] + (char)bytes[3] + (char)bytes[4] +
                "\" (expected 5, \"a-tar\"); the bytes after them " + (untouched ? "untouched" : "written (no NUL may be added)") + "; readlink of a directory " + Grade.Describe(notLink) + " (expected -EINVAL)");
            Remove(root, "long");
        }
    }

    private static void DanglingLinks()
    {
        foreach (string root in Roots)
        {
            Prepare(root, "dangling", "missing");
            long made = Sys.SymbolicLink("missing", root + "/dangling");
            string before = Contents(root + "/dangling");
            string text = ReadLink(root + "/dangling");
            long lstat = Sys.LinkStatus(root + "/dangling", out FileStatus link);
            MakeFile(root + "/missing", "found");
            string after = Contents(root + "/dangling");
            Grade.Check("dangling-" + Where(root), made == 0 && before == "-ENOENT" && text == "\"missing\"" && lstat == 0 && link.Kind == KindLink && after == "\"found\"",
                "a link to a missing name: symlink " + Grade.Describe(made) + ", open " + before + " (expected -ENOENT), readlink " + text + ", lstat " + Grade.Describe(lstat) +
                " kind " + link.Kind + "; once the target exists, open reads " + after + " (expected \"found\")");
            Remove(root, "dangling", "missing");
        }
    }

    private static void LoopsEndInELoop()
    {
        foreach (string root in Roots)
        {
            Prepare(root, "a", "b", "self");
            Sys.SymbolicLink("b", root + "/a");
            Sys.SymbolicLink("a", root + "/b");
            Sys.SymbolicLink("self", root + "/self");
            string cycle = Contents(root + "/a"), self = Contents(root + "/self"), inPath = Contents(root + "/a/x");
            Grade.Check("loop-" + Where(root), cycle == "-ELOOP" && self == "-ELOOP" && inPath == "-ELOOP",
                "open of a (a -> b -> a) gave " + cycle + ", of self (self -> self) " + self + ", of a/x " + inPath + "; expected -ELOOP each time, at once");
            Remove(root, "a", "b", "self");

            // A chain of ten links is followed; one of eleven is -ELOOP (6.1810's limit: 10).
            Prepare(root, "target");
            MakeFile(root + "/target", "end");
            for (int i = 1; i <= 11; i++) Sys.SymbolicLink(i == 1 ? "target" : "l" + (i - 1), root + "/l" + i);
            string ten = Contents(root + "/l10"), eleven = Contents(root + "/l11");
            Grade.Check("chain-" + Where(root), ten == "\"end\"" && eleven == "-ELOOP",
                "open through a chain of 10 links read " + ten + " (expected \"end\"), of 11 links " + eleven + " (expected -ELOOP)");
            for (int i = 1; i <= 11; i++) Sys.Unlink(root + "/l" + i);
            Remove(root, "target");
        }
    }

    private static void NoFollow()
    {
        foreach (string root in Roots)
        {
            Prepare(root, "file", "link", "dir", "dirlink");
            MakeFile(root + "/file", "plain");
            Sys.SymbolicLink("file", root + "/link");
            Sys.MakeDirectory(root + "/dir");
            MakeFile(root + "/dir/inner", "inner");
            Sys.SymbolicLink("dir", root + "/dirlink");
            string onLink = Contents(root + "/link", OpenFlags.ReadOnly | OpenFlags.NoFollow);
            string onFile = Contents(root + "/file", OpenFlags.ReadOnly | OpenFlags.NoFollow);
            string midPath = Contents(root + "/dirlink/inner", OpenFlags.ReadOnly | OpenFlags.NoFollow);
            string followed = Contents(root + "/link");
            Grade.Check("nofollow-" + Where(root), onLink == "-ELOOP" && onFile == "\"plain\"" && midPath == "\"inner\"" && followed == "\"plain\"",
                "O_NOFOLLOW: on the link " + onLink + " (expected -ELOOP, as Linux), on the file " + onFile + ", through a link to a directory earlier in the path " + midPath +
                " (only the last part is not followed); without it, the link reads " + followed);
            Sys.Unlink(root + "/dir/inner");
            Remove(root, "link", "dirlink", "file", "dir");
        }
    }

    private static void DirectoriesAndRelativeTargets()
    {
        foreach (string root in Roots)
        {
            Prepare(root, "d", "dl", "abs", "sub");
            Sys.MakeDirectory(root + "/d");
            MakeFile(root + "/d/f", "in d");
            Sys.SymbolicLink("d", root + "/dl");
            Sys.SymbolicLink(root + "/d/f", root + "/abs");
            Sys.MakeDirectory(root + "/sub");
            MakeFile(root + "/sub/f", "in sub");
            Sys.SymbolicLink("../d/f", root + "/sub/up");
            Sys.SymbolicLink("f", root + "/sub/rel");

            string throughDirectory = Contents(root + "/dl/f");
            long stat = Sys.PathStatus(root + "/dl", out FileStatus directory);
            Grade.Check("through-directory-" + Where(root), throughDirectory == "\"in d\"" && stat == 0 && directory.Kind == KindDirectory,
                "dl -> d: open dl/f read " + throughDirectory + " (expected \"in d\"); stat dl gave " + Grade.Describe(stat) + ", kind " + directory.Kind + " (expected a directory)");

            // Relative targets are read from the link's directory, wherever the process stands: here
            // the current directory holds a different "f", which a resolution from it would find.
            Sys.ChangeDirectory(root + "/d");
            string relative = Contents(root + "/sub/rel"), up = Contents(root + "/sub/up"), absolute = Contents(root + "/abs");
            string fromHere = Contents("../sub/rel");
            Sys.ChangeDirectory("/");
            Grade.Check("relative-target-" + Where(root), relative == "\"in sub\"" && up == "\"in d\"" && fromHere == "\"in sub\"",
                "with the current directory " + root + "/d: sub/rel (-> f) read " + relative + " (expected \"in sub\", the f beside the link), sub/up (-> ../d/f) " + up +
                ", ../sub/rel " + fromHere);
            Grade.Check("absolute-target-" + Where(root), absolute == "\"in d\"", "abs (-> " + root + "/d/f) read " + absolute);
            Sys.Unlink(root + "/d/f");
            Sys.Unlink(root + "/sub/f");
            Sys.Unlink(root + "/sub/up");
            Sys.Unlink(root + "/sub/rel");
            Remove(root, "dl", "abs", "d", "sub");
        }
    }

    // One process makes and removes the name "r" over and over, as a link to file a or as a hard link
    // to file b; the other opens "r" meanwhile, for the same second and a half (checks.sh runs this
    // part on two CPUs, so the two really overlap). Every open must give a's bytes, b's, or -ENOENT:
    // never another file, another error, or a crash; and the opener must have seen the link at least
    // once (through it, a's bytes), or the race was not run.
    private static void SymlinkUnlinkRace()
    {
        const long Milliseconds = 1500;
        foreach (string root in Roots)
        {
            Prepare(root, "a", "b", "r");
            MakeFile(root + "/a", "A");
            MakeFile(root + "/b", "B");
            long end = Sys.Uptime() + Milliseconds;
            long child = Sys.Fork();
            if (child == 0)
            {
                int rounds = 0;
                while (Sys.Uptime() < end)
                {
                    Sys.SymbolicLink("a", root + "/r");
                    Sys.Unlink(root + "/r");
                    Sys.Link(root + "/b", root + "/r");
                    Sys.Unlink(root + "/r");
                    rounds++;
                }
                Sys.Exit(rounds > 0 ? 0 : 1);
            }
            int seenA = 0, seenB = 0, missing = 0, opens = 0;
            string odd = "";
            while (Sys.Uptime() < end)
            {
                string got = Contents(root + "/r");
                opens++;
                if (got == "\"A\"") seenA++;
                else if (got == "\"B\"") seenB++;
                else if (got == "-ENOENT") missing++;
                else if (odd.Length == 0) odd = got;
            }
            int status = -1;
            long waited = child > 0 ? Sys.Wait((int)child, out status) : child;
            Grade.Check("race-" + Where(root), child > 0 && waited == child && status == 0 && odd.Length == 0 && seenA > 0,
                opens + " opens of r in " + Milliseconds + " ms while another process made and removed it (a link to a, a hard link to b): a " + seenA + ", b " + seenB +
                ", -ENOENT " + missing + (odd.Length == 0 ? "" : "; once something else: " + odd) + (seenA == 0 ? "; never through the link" : "") +
                "; the other process ended with " + (waited == child ? status.ToString() : Grade.Describe(waited)));
            Sys.Unlink(root + "/r");
            Remove(root, "a", "b");
        }
    }
}
