using System;
using Abi;
using TeachOS;

/// <summary>
/// permstest: the test program of the perms lab (docs/assignments/perms.md): the sticky bit on unlink,
/// rmdir and rename, and search permission on every directory a path walks through. The grader runs
/// it as root. Each part makes a directory of its own, on the disk (/disk, a fresh image: checks.sh's
/// --disk) and on the RAM file system (/tmp), gives its files to two ordinary users (uid and gid 1000,
/// "alice", and 1001, "bob") with chown and chmod, and tries each operation in a forked child that
/// drops to one of them with setresuid; the child exits with the operation's errno (0 for success),
/// which the parent reports. Then it removes everything as root.
/// </summary>
public static unsafe class PermsTest
{
    private const int Root = 0, Alice = 1000, Bob = 1001;
    private static readonly string[] Volumes = { "/disk", "/tmp" };

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "sticky-unlink", Body = &StickyUnlink },
        new GradePart { Name = "sticky-owners", Body = &StickyOwners },
        new GradePart { Name = "sticky-rename", Body = &StickyRename },
        new GradePart { Name = "effective-uid", Body = &EffectiveUserId },
        new GradePart { Name = "search", Body = &Search },
        new GradePart { Name = "search-bits", Body = &SearchBits },
    });

    // ---- running an operation as another user ---------------------------------------------------

    private enum Op { Unlink, RemoveDirectory, Rename, Open, Create, Stat, ChangeDirectory }

    // What the forked child does (a function pointer carries no arguments; fork copies these).
    private static Op s_op;
    private static string s_path, s_to;

    // The result of `op` on `path` (and `to`) done by a process whose real uid is `real` and effective
    // uid `effective` (group ids alike): 0, or a negated errno.
    private static long As(int real, int effective, Op op, string path, string to = null)
    {
        s_op = op;
        s_path = path;
        s_to = to;
        long pid = Sys.Fork();
        if (pid == 0)
        {
            if (Sys.SetGroupIds(real, effective, effective) < 0 || Sys.SetUserIds(real, effective, effective) < 0) Sys.Exit(255);
            long result = Do(s_op, s_path, s_to);
            Sys.Exit(result < 0 ? (int)-result : 0);
        }
        if (pid < 0) return pid;
        if (Sys.Wait((int)pid, out int status) != pid) return -Errno.ECHILD;
        return -status;
    }

    private static long As(int user, Op op, string path, string to = null) => As(user, user, op, path, to);

    private static long Do(Op op, string path, string to)
    {
        switch (op)
        {
            case Op.Unlink: return Sys.Unlink(path);
            case Op.RemoveDirectory: return Sys.RemoveDirectory(path);
            case Op.Rename: return Sys.Rename(path, to);
            case Op.Stat: return Sys.PathStatus(path, out FileStatus unused);
            case Op.ChangeDirectory: return Sys.ChangeDirectory(path);
            case Op.Open:
            case Op.Create:
                long descriptor = Sys.Open(path, op == Op.Open ? OpenFlags.ReadOnly : OpenFlags.WriteOnly | OpenFlags.Create);
                if (descriptor >= 0) Sys.Close((int)descriptor);
                return descriptor < 0 ? descriptor : 0;
        }
        return -Errno.EINVAL;
    }

    // "bob's unlink of /tmp/perms-x/f: -EPERM (expected -EPERM)": one operation, what it gave and what it should.
    private static string Said(string who, string what, long result, long expected) =>
        who + "'s " + what + ": " + Grade.Describe(result) + " (expected " + Grade.Describe(expected) + ")";

    // ---- setting up, as root ----------------------------------------------------------------------

    private static string Where(string volume) => volume == "/disk" ? "disk" : "ram";

    private static void MakeFile(string path, int owner, int mode)
    {
        long descriptor = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (descriptor >= 0) Sys.Close((int)descriptor);
        Sys.ChangeOwner(path, owner, owner);
        Sys.ChangeMode(path, mode);
    }

    private static void MakeDirectory(string path, int owner, int mode)
    {
        Sys.MakeDirectory(path);
        Sys.ChangeOwner(path, owner, owner);
        Sys.ChangeMode(path, mode);
    }

    private static bool Exists(string path) => Sys.LinkStatus(path, out FileStatus unused) == 0;

    private static int OwnerOf(string path) => Sys.LinkStatus(path, out FileStatus status) == 0 ? status.UserId : -1;

    // The part's directory /VOLUME/perms-PART, empty and root's (0755): a leftover from a crashed run is removed first.
    private static string Prepare(string volume, string part)
    {
        Sys.MakeDirectory("/tmp");
        string directory = volume + "/perms-" + part;
        RemoveTree(directory);
        MakeDirectory(directory, Root, 0x1ED);
        return directory;
    }

    // Removes a directory and everything under it, as root (who passes every check: the modes do not matter).
    private static void RemoveTree(string path)
    {
        if (Sys.Unlink(path) != -Errno.EISDIR) return;
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (descriptor >= 0)
        {
            var names = new string[64];
            int count = 0;
            for (int index = 0; count < names.Length && Sys.ReadDirectory((int)descriptor, index, out DirectoryEntry entry) == 1; index++)
            {
                var chars = new char[entry.NameLength];
                for (int i = 0; i < chars.Length; i++) chars[i] = (char)entry.Name[i];
                string name = new string(chars);
                if (name != "." && name != "..") names[count++] = name;
            }
            Sys.Close((int)descriptor);
            for (int i = 0; i < count; i++) RemoveTree(path + "/" + names[i]);
        }
        Sys.RemoveDirectory(path);
    }

    // ---- parts ------------------------------------------------------------------------------------

    // A sticky directory (1777, root's): another user may not remove a file or directory of alice's;
    // alice may remove her own.
    private static void StickyUnlink()
    {
        foreach (string volume in Volumes)
        {
            string sticky = Prepare(volume, "sticky-unlink") + "/shared";
            MakeDirectory(sticky, Root, 0x3FF);
            MakeFile(sticky + "/alices", Alice, 0x1A4);
            MakeDirectory(sticky + "/alices-dir", Alice, 0x1ED);
            MakeFile(sticky + "/alices-own", Alice, 0x1A4);
            MakeDirectory(sticky + "/alices-own-dir", Alice, 0x1ED);
            long bobUnlink = As(Bob, Op.Unlink, sticky + "/alices");
            bool kept = Exists(sticky + "/alices");
            long bobRmdir = As(Bob, Op.RemoveDirectory, sticky + "/alices-dir");
            bool dirKept = Exists(sticky + "/alices-dir");
            Grade.Check("others-refused-" + Where(volume), bobUnlink == -Errno.EPERM && kept && bobRmdir == -Errno.EPERM && dirKept,
                "in " + sticky + " (1777, root's): " + Said("bob", "unlink of alice's file", bobUnlink, -Errno.EPERM) + ", the file " + (kept ? "kept" : "gone") +
                "; " + Said("bob", "rmdir of alice's empty directory", bobRmdir, -Errno.EPERM) + ", the directory " + (dirKept ? "kept" : "gone"));
            long aliceUnlink = As(Alice, Op.Unlink, sticky + "/alices-own");
            long aliceRmdir = As(Alice, Op.RemoveDirectory, sticky + "/alices-own-dir");
            Grade.Check("owner-removes-" + Where(volume), aliceUnlink == 0 && aliceRmdir == 0 && !Exists(sticky + "/alices-own") && !Exists(sticky + "/alices-own-dir"),
                "in the same directory: " + Said("alice", "unlink of her own file", aliceUnlink, 0) + "; " + Said("alice", "rmdir of her own directory", aliceRmdir, 0));
            RemoveTree(volume + "/perms-sticky-unlink");
        }
    }

    // Who else may remove alice's file from a sticky directory: the directory's owner and root. And the
    // rule is the sticky bit's only: in a 0777 directory without it, anyone may.
    private static void StickyOwners()
    {
        foreach (string volume in Volumes)
        {
            string top = Prepare(volume, "sticky-owners");
            MakeDirectory(top + "/bobs", Bob, 0x3FF);                // 1777, bob's
            MakeFile(top + "/bobs/alices", Alice, 0x1A4);
            MakeFile(top + "/bobs/alices-too", Alice, 0x1A4);
            long bob = As(Bob, Op.Unlink, top + "/bobs/alices");
            Grade.Check("directory-owner-" + Where(volume), bob == 0 && !Exists(top + "/bobs/alices"),
                "in " + top + "/bobs (1777, bob's): " + Said("bob", "unlink of alice's file", bob, 0) + ": the directory's owner may");
            long root = Sys.Unlink(top + "/bobs/alices-too");
            Grade.Check("root-" + Where(volume), root == 0 && !Exists(top + "/bobs/alices-too"),
                "in the same directory: " + Said("root", "unlink of alice's file", root, 0) + ": root owns neither, and may");
            MakeDirectory(top + "/open", Root, 0x1FF);               // 0777, no sticky bit
            MakeFile(top + "/open/alices", Alice, 0x1A4);
            MakeFile(top + "/open/alices-too", Alice, 0x1A4);
            long plain = As(Bob, Op.Unlink, top + "/open/alices");
            long renamed = As(Bob, Op.Rename, top + "/open/alices-too", top + "/open/bobs-now");
            Grade.Check("not-sticky-" + Where(volume), plain == 0 && renamed == 0 && !Exists(top + "/open/alices"),
                "in " + top + "/open (0777, not sticky): " + Said("bob", "unlink of alice's file", plain, 0) + "; " + Said("bob", "rename of alice's file", renamed, 0));
            RemoveTree(top);
        }
    }

    // rename in a sticky directory: the name taken away (the source) and the name replaced (the target)
    // are both removals.
    private static void StickyRename()
    {
        foreach (string volume in Volumes)
        {
            string sticky = Prepare(volume, "sticky-rename") + "/shared";
            MakeDirectory(sticky, Root, 0x3FF);
            MakeFile(sticky + "/alices", Alice, 0x1A4);
            MakeFile(sticky + "/bobs", Bob, 0x1A4);
            MakeFile(sticky + "/alices-own", Alice, 0x1A4);
            MakeFile(sticky + "/bobs-own", Bob, 0x1A4);
            long away = As(Bob, Op.Rename, sticky + "/alices", sticky + "/taken");
            bool kept = Exists(sticky + "/alices") && !Exists(sticky + "/taken");
            Grade.Check("rename-source-" + Where(volume), away == -Errno.EPERM && kept,
                "in " + sticky + " (1777, root's): " + Said("bob", "rename of alice's file to a new name", away, -Errno.EPERM) + ", the file " + (kept ? "kept" : "moved"));
            long over = As(Bob, Op.Rename, sticky + "/bobs", sticky + "/alices");
            int owner = OwnerOf(sticky + "/alices");
            Grade.Check("rename-target-" + Where(volume), over == -Errno.EPERM && owner == Alice && Exists(sticky + "/bobs"),
                Said("bob", "rename of his own file over alice's", over, -Errno.EPERM) + "; the name \"alices\" now belongs to uid " + owner + " (expected " + Alice + ")");
            long own = As(Bob, Op.Rename, sticky + "/bobs-own", sticky + "/bobs-renamed");
            long hers = As(Alice, Op.Rename, sticky + "/alices-own", sticky + "/alices-renamed");
            Grade.Check("rename-own-" + Where(volume), own == 0 && hers == 0 && Exists(sticky + "/bobs-renamed") && Exists(sticky + "/alices-renamed"),
                Said("bob", "rename of his own file", own, 0) + "; " + Said("alice", "rename of hers", hers, 0));
            RemoveTree(volume + "/perms-sticky-rename");
        }
    }

    // The sticky rule compares the effective uid (the one a setuid program runs with), not the real one.
    private static void EffectiveUserId()
    {
        foreach (string volume in Volumes)
        {
            string sticky = Prepare(volume, "effective-uid") + "/shared";
            MakeDirectory(sticky, Root, 0x3FF);
            MakeFile(sticky + "/alices", Alice, 0x1A4);
            MakeFile(sticky + "/alices-too", Alice, 0x1A4);
            long realAlice = As(Alice, Bob, Op.Unlink, sticky + "/alices");
            bool kept = Exists(sticky + "/alices");
            long effectiveAlice = As(Bob, Alice, Op.Unlink, sticky + "/alices-too");
            Grade.Check("effective-uid-" + Where(volume), realAlice == -Errno.EPERM && kept && effectiveAlice == 0 && !Exists(sticky + "/alices-too"),
                "in " + sticky + " (1777, root's), alice's file: unlink by real uid alice, effective uid bob: " + Grade.Describe(realAlice) +
                " (expected -EPERM); of another of hers by real uid bob, effective uid alice: " + Grade.Describe(effectiveAlice) + " (expected 0)");
            RemoveTree(volume + "/perms-effective-uid");
        }
    }

    // Search permission on every directory of a path, not only the last: alice's 0700 directory hides
    // everything under it from bob, whatever the modes further down say.
    private static void Search()
    {
        foreach (string volume in Volumes)
        {
            string top = Prepare(volume, "search");
            MakeDirectory(top + "/private", Alice, 0x1C0);           // 0700
            MakeDirectory(top + "/private/sub", Alice, 0x1FF);       // 0777
            MakeFile(top + "/private/sub/file", Alice, 0x1B6);       // 0666
            string deep = top + "/private/sub/file";
            long open = As(Bob, Op.Open, deep), stat = As(Bob, Op.Stat, deep), cd = As(Bob, Op.ChangeDirectory, top + "/private/sub");
            Grade.Check("through-private-" + Where(volume), open == -Errno.EACCES && stat == -Errno.EACCES && cd == -Errno.EACCES,
                "under " + top + "/private (0700, alice's), in sub (0777): " + Said("bob", "open of sub/file (0666)", open, -Errno.EACCES) + "; stat " +
                Grade.Describe(stat) + ", chdir to sub " + Grade.Describe(cd) + " (expected -EACCES each)");
            long owner = As(Alice, Op.Open, deep);
            long create = As(Bob, Op.Create, top + "/private/sub/new"), unlink = As(Bob, Op.Unlink, deep);
            Grade.Check("change-through-private-" + Where(volume), create == -Errno.EACCES && unlink == -Errno.EACCES && !Exists(top + "/private/sub/new") && Exists(deep),
                "in sub (0777) under private (0700): " + Said("bob", "create of sub/new", create, -Errno.EACCES) + "; " + Said("bob", "unlink of sub/file", unlink, -Errno.EACCES));
            MakeDirectory(top + "/locked", Alice, 0);                // 0000
            MakeFile(top + "/locked/file", Alice, 0x1B6);
            long root = Do(Op.Open, top + "/locked/file", null);
            Grade.Check("owner-and-root-pass-" + Where(volume), owner == 0 && root == 0,
                Said("alice", "open of private/sub/file (she may search her 0700 directory)", owner, 0) + "; " + Said("root", "open of locked/file (0000 directory)", root, 0));
            RemoveTree(top);
        }
    }

    // Search is the x bit of the one class that applies: not r (a 0744 directory lists its names but
    // lets no one else through; 0711 lets through without listing), and the last directory counts too.
    private static void SearchBits()
    {
        foreach (string volume in Volumes)
        {
            string top = Prepare(volume, "search-bits");
            MakeDirectory(top + "/read-only", Alice, 0x1E4);         // 0744
            MakeFile(top + "/read-only/file", Alice, 0x1B6);
            MakeDirectory(top + "/search-only", Alice, 0x1C9);       // 0711
            MakeFile(top + "/search-only/file", Alice, 0x1B6);
            MakeDirectory(top + "/writable", Alice, 0x1F6);          // 0766: read and write, no search
            MakeFile(top + "/writable/file", Alice, 0x1B6);
            long readOnly = As(Bob, Op.Open, top + "/read-only/file"), searchOnly = As(Bob, Op.Open, top + "/search-only/file");
            Grade.Check("x-not-r-" + Where(volume), readOnly == -Errno.EACCES && searchOnly == 0,
                Said("bob", "open of " + top + "/read-only/file (directory 0744, alice's)", readOnly, -Errno.EACCES) + "; " +
                Said("bob", "open of search-only/file (directory 0711)", searchOnly, 0));
            long last = As(Bob, Op.Open, top + "/writable/file"), create = As(Bob, Op.Create, top + "/writable/new");
            Grade.Check("last-directory-" + Where(volume), last == -Errno.EACCES && create == -Errno.EACCES && !Exists(top + "/writable/new"),
                "in " + top + "/writable (0766, alice's: others may read and write it but not search it): " + Said("bob", "open of file", last, -Errno.EACCES) +
                "; " + Said("bob", "create of new", create, -Errno.EACCES));
            RemoveTree(top);
        }
    }
}
