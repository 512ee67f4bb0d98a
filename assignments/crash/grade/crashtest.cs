using System;
using Abi;
using TeachOS;

/// <summary>
/// crashtest: the test program of the crash lab (docs/assignments/crash.md). It runs a small
/// workload on a fresh disk, in the crash explorer's format (userland/Programs/crashload.cs: a
/// `crash-op N begin KIND ARGS` line before each operation and `crash-op N done RESULT` after it), so
/// that the grader can replay the boot's disk trace (`disk-trace` on the command line) on the host:
///
///     part workload    (checks.sh: part workload --disk 2 "disk-trace init=/bin/crashtest")
///                      runs the workload, checks that every operation succeeded and that the files
///                      read back as written; the grader then gives the part's log and the disk the
///                      boot started from to `DiskTools explore`, which recovers and checks every disk a
///                      crash could have left
///     crashtest workload
///                      the workload alone, for a boot the kernel stops at a write of its choosing
///                      (`crash-after-writes=N`): the grader boots the crashed disk again and checks
///                      what the mount's recovery made of it
///
/// The workload is the grader's own (a student may change userland/Programs, and so crashload, but not
/// this program): every kind of operation a commit carries, under /disk/lab, ending with an fsync.
/// </summary>
public static unsafe class CrashTest
{
    private const string Root = "/disk/lab";

    private static int s_operation;
    private static int s_failures;
    private static string s_firstFailure = "";

    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "workload")
        {
            RunWorkload();
            Console.WriteLine("crashtest: done");
            return s_failures == 0 ? 0 : 1;
        }
        return Grade.Run(args, new[]
        {
            new GradePart { Name = "workload", Body = &WorkloadThenReadBack },
        });
    }

    private static void WorkloadThenReadBack()
    {
        RunWorkload();
        Grade.Check("workload-succeeds", s_failures == 0,
            s_failures == 0 ? s_operation + " operations, each returned success" : s_failures + " of " + s_operation + " operations failed, first " + s_firstFailure);
        string wrong = FirstWrongFile();
        Grade.Check("workload-reads-back", wrong == "", wrong == "" ? "a2 holds its 100 bytes, b2 the first 1,000 of its 3,000; a and b are gone" : wrong);
    }

    // Twelve operations, one log commit each (the writes are at most 3 KiB: one log operation in the
    // kernel), touching inodes, directories, the bitmap and data blocks.
    private static void RunWorkload()
    {
        MakeDirectory(Root);
        Create(Root + "/a");
        Write(Root + "/a", 0, 100, 1);
        Create(Root + "/b");
        Write(Root + "/b", 0, 3000, 2);
        MakeDirectory(Root + "/d");
        Link(Root + "/a", Root + "/d/a2");
        Rename(Root + "/b", Root + "/d/b2");
        Unlink(Root + "/a");
        Append(Root + "/d/b2", 2000, 3);
        Truncate(Root + "/d/b2", 1000);
        FileSync(Root + "/d/b2");
    }

    // What the workload leaves, read back through the kernel (its cache and the disk): "" when right.
    private static string FirstWrongFile()
    {
        if (Opens(Root + "/a")) return Root + "/a still opens after its unlink";
        if (Opens(Root + "/b")) return Root + "/b still opens after its rename";
        string wrong = WrongContents(Root + "/d/a2", Pattern(100, 1), 100);
        return wrong != "" ? wrong : WrongContents(Root + "/d/b2", Pattern(3000, 2), 1000);
    }

    private static bool Opens(string path)
    {
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly);
        if (descriptor >= 0) Sys.Close((int)descriptor);
        return descriptor >= 0;
    }

    private static string WrongContents(string path, byte[] expected, int length)
    {
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly);
        if (descriptor < 0) return "open " + path + " returned " + Grade.Describe(descriptor);
        var data = new byte[length + 1];
        long read = Sys.Read((int)descriptor, data);
        Sys.Close((int)descriptor);
        if (read != length) return path + ": read " + Grade.Describe(read) + " bytes, expected " + length;
        for (int i = 0; i < length; i++)
            if (data[i] != expected[i]) return path + ": byte " + i + " is " + data[i] + ", expected " + expected[i];
        return "";
    }

    // ---- One operation each, in crashload's format (the explorer's model reads these lines) ----

    private static void MakeDirectory(string path) => Done(Begin("mkdir " + path), Sys.MakeDirectory(path));

    private static void Unlink(string path) => Done(Begin("unlink " + path), Sys.Unlink(path));

    private static void Link(string from, string to) => Done(Begin("link " + from + " " + to), Sys.Link(from, to));

    private static void Rename(string from, string to) => Done(Begin("rename " + from + " " + to), Sys.Rename(from, to));

    private static void Create(string path)
    {
        int n = Begin("create " + path);
        long descriptor = Sys.Open(path, OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Exclusive);
        if (descriptor >= 0) Sys.Close((int)descriptor);
        Done(n, descriptor >= 0 ? 0 : descriptor);
    }

    private static void Write(string path, long offset, int length, int seed)
    {
        int n = Begin("write " + path + " " + offset + " " + length + " " + seed);
        long result = Sys.Open(path, OpenFlags.WriteOnly);
        if (result >= 0)
        {
            int descriptor = (int)result;
            result = Sys.Seek(descriptor, offset, SeekFrom.Start);
            if (result >= 0) result = Sys.Write(descriptor, Pattern(length, seed));
            Sys.Close(descriptor);
        }
        Done(n, result);
    }

    private static void Append(string path, int length, int seed)
    {
        int n = Begin("append " + path + " " + length + " " + seed);
        long result = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Append);
        if (result >= 0)
        {
            int descriptor = (int)result;
            result = Sys.Write(descriptor, Pattern(length, seed));
            Sys.Close(descriptor);
        }
        Done(n, result);
    }

    private static void Truncate(string path, long length)
    {
        int n = Begin("truncate " + path + " " + length);
        long result = Sys.Open(path, OpenFlags.WriteOnly);
        if (result >= 0)
        {
            int descriptor = (int)result;
            result = Sys.Truncate(descriptor, length);
            Sys.Close(descriptor);
        }
        Done(n, result);
    }

    private static void FileSync(string path)
    {
        int n = Begin("fsync " + path);
        long result = Sys.Open(path, OpenFlags.WriteOnly);
        if (result >= 0)
        {
            int descriptor = (int)result;
            result = Sys.Sync(descriptor);
            Sys.Close(descriptor);
        }
        Done(n, result);
    }

    /// <summary>Byte i of a write with this seed: crashload's pattern, which the explorer's model computes too.</summary>
    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)(seed * 37 + i * 7 + (i >> 9));
        return bytes;
    }

    private static int Begin(string description)
    {
        int n = ++s_operation;
        Console.WriteLine("crash-op " + n + " begin " + description);
        return n;
    }

    private static void Done(int n, long result)
    {
        Console.WriteLine("crash-op " + n + " done " + result);
        if (result >= 0 || s_failures++ > 0) return;
        s_firstFailure = "op " + n + " returned " + Grade.Describe(result);
    }
}
