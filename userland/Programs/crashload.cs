using System;
using Abi;
using TeachOS;

/// <summary>
/// crashload a|b|c: the crash explorer's workloads (tools/DiskTools/Explore, `make crash-explore`).
/// Each does a fixed list of file-system operations under its own directory of /disk and prints, on
/// the serial console it shares with the kernel's `disk-trace` lines, one line as each operation
/// starts and one as it returns:
///
///     crash-op N begin KIND ARGS
///     crash-op N done RESULT
///
/// The host reads them in order with the trace's `disk[w]` and `disk[f]` lines, so it knows which
/// writes each operation made and which operations had returned at every crash point. An operation
/// is one syscall that changes the disk (write, ftruncate, rename, ...); where that syscall needs a
/// descriptor, the open before it and the close after it belong to the operation too (neither writes
/// the disk: the files are created by their own `create` operation). A write is at most
/// <see cref="MostBytesPerWrite"/> bytes: one log operation in the kernel (kernel/Fs/DiskFiles.cs), so
/// all-or-nothing; a longer write is split by the kernel and may be cut by a crash between its pieces.
///
///     a   create files and write them: sizes of 100 bytes, 5,000 bytes and 14 KiB (past the 11
///         direct blocks, into the single-indirect block)
///     b   a tree: mkdir, link, rename (within and across directories, over an existing file, of a
///         directory), unlink, rmdir
///     c   one file: appends, ftruncate shorter, longer (a hole) and to zero, fsync
///
/// Every workload ends with an fsync, so its last operation is durable when it prints "crashload: done".
/// The bytes of a write are a pattern of its SEED and the index in the write: the host computes them too.
/// </summary>
public static class CrashLoad
{
    public const int MostBytesPerWrite = 3072;

    private static int s_operation;

    public static int Main(string[] args)
    {
        string workload = args.Length == 1 ? args[0] : "";
        switch (workload)
        {
            case "a": CreateAndWrite(); break;
            case "b": Tree(); break;
            case "c": AppendAndTruncate(); break;
            default: Console.Error("usage: crashload a|b|c\n"); return 2;
        }
        Console.WriteLine("crashload: done");
        return 0;
    }

    private static void CreateAndWrite()
    {
        MakeDirectory("/disk/ca");
        Create("/disk/ca/small");
        Write("/disk/ca/small", 0, 100, 1);
        Create("/disk/ca/medium");
        Write("/disk/ca/medium", 0, 3000, 2);
        Write("/disk/ca/medium", 3000, 2000, 3);
        Create("/disk/ca/big");
        for (int piece = 0; piece < 5; piece++)        // 14 KiB: blocks 11-13 are past the direct ones
            Write("/disk/ca/big", piece * 3072, piece < 4 ? 3072 : 2048, 10 + piece);
        Write("/disk/ca/small", 50, 100, 4);           // overwrite the middle, grow the end
        FileSync("/disk/ca/big");
    }

    private static void Tree()
    {
        MakeDirectory("/disk/cb");
        MakeDirectory("/disk/cb/d1");
        MakeDirectory("/disk/cb/d1/d2");
        Create("/disk/cb/d1/x");
        Write("/disk/cb/d1/x", 0, 500, 5);
        Link("/disk/cb/d1/x", "/disk/cb/y");
        Rename("/disk/cb/d1/x", "/disk/cb/d1/d2/x2");
        Rename("/disk/cb/y", "/disk/cb/d1/y");
        Unlink("/disk/cb/d1/d2/x2");
        Create("/disk/cb/z");
        Write("/disk/cb/z", 0, 1500, 6);
        Rename("/disk/cb/z", "/disk/cb/d1/y");         // replaces y, whose inode has no other name
        MakeDirectory("/disk/cb/e");
        Rename("/disk/cb/e", "/disk/cb/d1/d2/e");      // a directory moves: its ".." changes
        RemoveDirectory("/disk/cb/d1/d2/e");
        FileSync("/disk/cb/d1/y");
    }

    private static void AppendAndTruncate()
    {
        MakeDirectory("/disk/cc");
        Create("/disk/cc/log");
        for (int i = 0; i < 6; i++) Append("/disk/cc/log", 700, 20 + i);
        Truncate("/disk/cc/log", 1500);
        Append("/disk/cc/log", 2000, 30);
        FileSync("/disk/cc/log");
        Truncate("/disk/cc/log", 0);
        Append("/disk/cc/log", 3000, 31);
        Truncate("/disk/cc/log", 12000);               // longer: a hole that reads as zeros
        Append("/disk/cc/log", 1000, 32);
        FileSync("/disk/cc/log");
    }

    // ---- One operation each: the begin line, the syscall(s), the done line with the syscall's result ----

    private static void MakeDirectory(string path) => Done(Begin("mkdir " + path), Sys.MakeDirectory(path));

    private static void RemoveDirectory(string path) => Done(Begin("rmdir " + path), Sys.RemoveDirectory(path));

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
        long descriptor = Sys.Open(path, OpenFlags.WriteOnly);
        long result = descriptor;
        if (descriptor >= 0)
        {
            result = Sys.Seek((int)descriptor, offset, SeekFrom.Start);
            if (result >= 0) result = Sys.Write((int)descriptor, Pattern(length, seed));
            Sys.Close((int)descriptor);
        }
        Done(n, result);
    }

    private static void Append(string path, int length, int seed)
    {
        int n = Begin("append " + path + " " + length + " " + seed);
        long descriptor = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Append);
        long result = descriptor;
        if (descriptor >= 0)
        {
            result = Sys.Write((int)descriptor, Pattern(length, seed));
            Sys.Close((int)descriptor);
        }
        Done(n, result);
    }

    private static void Truncate(string path, long length)
    {
        int n = Begin("truncate " + path + " " + length);
        long descriptor = Sys.Open(path, OpenFlags.WriteOnly);
        long result = descriptor;
        if (descriptor >= 0)
        {
            result = Sys.Truncate((int)descriptor, length);
            Sys.Close((int)descriptor);
        }
        Done(n, result);
    }

    private static void FileSync(string path)
    {
        int n = Begin("fsync " + path);
        long descriptor = Sys.Open(path, OpenFlags.WriteOnly);
        long result = descriptor;
        if (descriptor >= 0)
        {
            result = Sys.Sync((int)descriptor);
            Sys.Close((int)descriptor);
        }
        Done(n, result);
    }

    /// <summary>Byte i of a write with this seed (tools/DiskTools/Explore/Operations.cs computes the same).</summary>
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

    private static void Done(int n, long result) => Console.WriteLine("crash-op " + n + " done " + result);
}
