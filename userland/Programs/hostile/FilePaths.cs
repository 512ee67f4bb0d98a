using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>hostile: file-system paths and a full file system.</summary>
public static unsafe partial class HostileTests
{
    // ---- File-system paths ----

    private static void PathUnderARegularFile()
    {
        // /etc/motd is a file: nothing can be under it, whether the last part exists or not.
        Expect(Sys.Open("/etc/motd/x", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOTDIR, "create /etc/motd/x");
        Expect(Sys.Open("/etc/motd/x", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/x");
        Expect(Sys.Open("/etc/motd/x/y", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOTDIR, "create /etc/motd/x/y");
        Expect(Sys.Open("/etc/motd/", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/ (a trailing slash asks for a directory)");
        Expect(Sys.Open("/etc/motd/.", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/.");
        Expect(Sys.Open("/etc/motd/..", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/..");
        Expect(Sys.Open("/no/such/x", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOENT, "create under a missing directory");
        long file = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        Check(file >= 0, "/etc/motd still opens");
        if (file >= 0)
        {
            Expect(Sys.ReadDirectory((int)file, 0, out DirectoryEntry entry), -Errno.ENOTDIR, "readdir of a file");
            Sys.Close((int)file);
        }
        Expect(Sys.Spawn("/etc/motd/x", new[] { "x" }, 0, 1, 2), -Errno.ENOTDIR, "spawn /etc/motd/x");
    }

    // Writes to `descriptor` until the file system says no; returns the bytes written and the refusal.
    private static long FillFile(int descriptor, byte[] chunk, out long refusal)
    {
        long total = 0;
        refusal = 0;
        while (total < 1L << 30)
        {
            long written = Sys.Write(descriptor, chunk);
            if (written < 0) { refusal = written; break; }
            total += written;
            if (written < chunk.Length)
            {
                refusal = Sys.Write(descriptor, chunk);       // the next write is refused outright
                break;
            }
        }
        return total;
    }

    private static void FileSystemFullIsAnError()
    {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)i;
        long file = Sys.Open("/tmp-big", OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        Check(file >= 0, "create /tmp-big");
        if (file < 0) return;
        long first = FillFile((int)file, chunk, out long refusal);
        Expect(refusal, -Errno.ENOSPC, "a write past the RAM file system's limit");
        Check(first > 1024 * 1024, "more than 1 MiB fits before the limit");
        Console.WriteLine("  " + first / 1024 + " KiB fit before ENOSPC");
        Sys.FileStatus((int)file, out FileStatus status);
        Expect(status.Size, first, "the file's size is what was written");
        Sys.Close((int)file);

        // The file system still works: the file reads back, and truncating it gives the space back.
        Expect(Files.ReadAllText("/etc/motd", out long error) != null ? 0 : error, 0, "read /etc/motd while full");
        file = Sys.Open("/tmp-big", OpenFlags.WriteOnly | OpenFlags.Truncate);
        Check(file >= 0, "truncate /tmp-big");
        if (file < 0) return;
        Expect(Files.WriteAllText("/tmp-small", "still works\n"), 0, "write a small file after truncating");
        Expect(Files.ReadAllText("/tmp-small", out error) == "still works\n" ? 0 : -1, 0, "read the small file back");
        Remove("/tmp-small");
        long second = FillFile((int)file, chunk, out refusal);
        Expect(refusal, -Errno.ENOSPC, "full again");
        Expect(second, first, "bytes that fit after truncating (all the space came back)");
        Sys.Close((int)file);
        Remove("/tmp-big");
    }

    // Removes a file: its space goes back to the file system.
    private static void Remove(string path) => Check(Sys.Unlink(path) == 0, "unlink " + path);
}
