using System;
using Abi;
using TeachOS;

/// <summary>
/// tree DIR: prints every path under DIR, one a line, with its size, and reads every file through to
/// its end on the way, so that any damage the kernel meets in a file's blocks shows (a disk made on
/// purpose to be wrong: tests/Integration/HostileImageTests.cs). A problem is printed as
/// "tree: PATH: ERRNO" and the walk goes on; symbolic links are listed, never followed. A directory
/// whose ".." is not the directory the walk came from has a second name somewhere (only a damaged
/// disk can hold one: hard links to directories are refused), and may be a loop back up the tree:
/// it is named and not entered. The walk stops at a depth of 12 whatever happens (each level holds
/// a descriptor open).
/// Exit status: 0, or 1 when something could not be read.
/// </summary>
public static unsafe class Tree
{
    private const int MaximumDepth = 12;
    private const int KindDirectory = 2, KindFile = 1;
    private static bool s_problems;

    public static int Main(string[] args)
    {
        if (args.Length != 1) { Console.Error("usage: tree DIR\n"); return 2; }
        long status = Sys.PathStatus(args[0], out FileStatus top);
        if (status < 0) { Problem(args[0], status); return 1; }
        Walk(args[0], top.Inode, 0);
        return s_problems ? 1 : 0;
    }

    private static void Problem(string path, long error)
    {
        s_problems = true;
        Files.ReportError("tree", path, error);
    }

    private static void Walk(string directory, ulong inode, int depth)
    {
        if (depth == MaximumDepth) { Console.WriteLine("tree: " + directory + ": deeper than " + MaximumDepth + " levels: not walked"); s_problems = true; return; }
        long opened = Sys.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (opened < 0) { Problem(directory, opened); return; }
        string prefix = directory.EndsWith("/") ? directory : directory + "/";
        long result;
        int index = 0;
        for (; (result = Sys.ReadDirectory((int)opened, index, out DirectoryEntry entry)) == 1; index++)
        {
            string path = prefix + string.FromAscii(entry.Name, entry.NameLength);
            long status = Sys.LinkStatus(path, out FileStatus info);
            if (status < 0) { Problem(path, status); continue; }
            Console.WriteLine(path + " " + info.Size);
            if (info.Kind == KindDirectory && ParentIs(path, inode)) Walk(path, info.Inode, depth + 1);
            else if (info.Kind == KindFile) ReadThrough(path);
        }
        if (result < 0) Problem(directory, result);
        Sys.Close((int)opened);
    }

    private static bool ParentIs(string path, ulong parent)
    {
        long status = Sys.PathStatus(path + "/..", out FileStatus up);
        if (status < 0) { Problem(path + "/..", status); return false; }
        if (up.Inode == parent) return true;
        Console.WriteLine("tree: " + path + ": its .. is inode " + up.Inode + ", not the directory it is in (inode " + parent + "): a directory with two names, maybe a loop: not walked");
        s_problems = true;
        return false;
    }

    private static void ReadThrough(string path)
    {
        long opened = Sys.Open(path, OpenFlags.ReadOnly);
        if (opened < 0) { Problem(path, opened); return; }
        byte[] buffer = new byte[4096];
        long read;
        while ((read = Sys.Read((int)opened, buffer)) > 0) { }
        if (read < 0) Problem(path, read);
        Sys.Close((int)opened);
    }
}
