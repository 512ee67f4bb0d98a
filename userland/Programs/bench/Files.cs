using System;
using Abi;
using TeachOS;

/// <summary>
/// bench's figures of the disk file system at /disk (kernel/Fs: the buffer cache, the log, inodes),
/// run by tools/bench.sh's `fs` section on a scratch copy of build/disk.img:
/// - `bench fs-write`: a 16 MiB file written sequentially in 64 KiB writes, then read back twice in the
///   same boot; small files (create, write 100 bytes, close) per second, and unlinks per second. It
///   leaves the 16 MiB file on the disk for:
/// - `bench fs-read` in a second boot: the first read of the file since power-on (nothing of it is
///   in the buffer cache: cold), and a second (warm); the file stays for the next such boot.
/// - `bench fs-paths`: the disk's paths that do not wait for the disk, in guest instructions (run
///   under -icount, like `bench paths`).
/// The buffer cache holds 64 blocks (64 KiB): a 16 MiB file never fits, so its warm read is no faster
/// than its cold one; the 32 KiB file's reads show what a hit saves.
/// Times are the guest's clock (Sys.Uptime, milliseconds); a rate is printed with one decimal.
/// </summary>
public static unsafe partial class Bench
{
    private const long SequentialBytes = 16L * 1024 * 1024;
    private const int SequentialPiece = 64 * 1024;
    private const string SequentialPath = "/disk/bench-16mib";
    private const int SmallFiles = 200;
    private const int SmallFileBytes = 100;

    private static int FileFigures(string which)
    {
        if (Sys.PathStatus("/disk", out FileStatus disk) != 0)
        {
            Console.WriteLine("bench: no disk mounted at /disk");
            return 1;
        }
        if (which == "fs-write")
        {
            SequentialWrite();
            SequentialRead("fs-read-16mib-same-boot");
            CachedRead();
            SmallFileCreateAndUnlink();
            return 0;
        }
        if (which == "fs-read")
        {
            SequentialRead("fs-read-16mib-cold");
            SequentialRead("fs-read-16mib-warm");
            return 0;                   // the file stays, for the next cold boot: the image is a scratch copy
        }
        return FilePaths();
    }

    // "1234.5" from a count of tenths.
    private static string Tenths(long tenths) => (tenths / 10) + "." + (tenths % 10);

    private static void ReportRate(string name, long bytes, long milliseconds, string what)
    {
        long tenthsMiBPerSecond = bytes * 10 * 1000 / (1024 * 1024) / (milliseconds > 0 ? milliseconds : 1);
        Console.WriteLine("bench " + name + ": " + Tenths(tenthsMiBPerSecond) + " MiB/s (" + what + ", " + milliseconds + " ms)");
    }

    private static void SequentialWrite()
    {
        byte[] piece = new byte[SequentialPiece];
        for (int i = 0; i < piece.Length; i++) piece[i] = (byte)(i * 7 + 3);
        long start = Sys.Uptime();
        long descriptor = Sys.Open(SequentialPath, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        long written = 0;
        while (descriptor >= 0 && written < SequentialBytes)
        {
            long result = Sys.Write((int)descriptor, piece);
            if (result <= 0) break;
            written += result;
        }
        if (descriptor >= 0) { Sys.Sync((int)descriptor); Sys.Close((int)descriptor); }
        long elapsed = Sys.Uptime() - start;
        if (written != SequentialBytes) { Console.WriteLine("bench: the 16 MiB write stopped at " + written + " bytes"); return; }
        ReportRate("fs-write-16mib", written, elapsed, "create, 256 writes of 64 KiB, fsync, close; every write committed through the log");
    }

    // Reads the whole file in 64 KiB reads and checks its bytes; the rate, or a line saying what is wrong.
    private static void SequentialRead(string name)
    {
        byte[] piece = new byte[SequentialPiece];
        long start = Sys.Uptime();
        long descriptor = Sys.Open(SequentialPath, OpenFlags.ReadOnly);
        long total = 0;
        bool right = true;
        while (descriptor >= 0)
        {
            long result = Sys.Read((int)descriptor, piece);
            if (result <= 0) break;
            for (int i = 0; i < result; i++) right &= piece[i] == (byte)(((total + i) % SequentialPiece) * 7 + 3);
            total += result;
        }
        if (descriptor >= 0) Sys.Close((int)descriptor);
        long elapsed = Sys.Uptime() - start;
        if (total != SequentialBytes || !right) { Console.WriteLine("bench: " + name + ": read " + total + " bytes, " + (right ? "right" : "wrong")); return; }
        ReportRate(name, total, elapsed, "256 reads of 64 KiB, a 64-block buffer cache");
    }

    /// <summary>A 32 KiB file (half the buffer cache) read 50 times: after the first, every block is a hit.</summary>
    private static void CachedRead()
    {
        const int Bytes = 32 * 1024, Rounds = 50;
        byte[] buffer = new byte[Bytes];
        long descriptor = Sys.Open("/disk/bench-32kib", OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        Sys.Write((int)descriptor, buffer);
        long start = Sys.Uptime();
        for (int i = 0; i < Rounds; i++)
        {
            Sys.Seek((int)descriptor, 0, SeekFrom.Start);
            Sys.Read((int)descriptor, buffer);
        }
        long elapsed = Sys.Uptime() - start;
        Sys.Close((int)descriptor);
        Sys.Unlink("/disk/bench-32kib");
        ReportRate("fs-read-32kib-cached", (long)Bytes * Rounds, elapsed, "a 32 KiB file read 50 times, every block in the buffer cache");
    }

    /// <summary>xv6's small-file case: create, write 100 bytes, close (two log operations); then unlink each.</summary>
    private static void SmallFileCreateAndUnlink()
    {
        Sys.MakeDirectory("/disk/bench-small");
        byte[] hundred = new byte[SmallFileBytes];
        long start = Sys.Uptime();
        int made = 0;
        for (; made < SmallFiles; made++)
        {
            long descriptor = Sys.Open("/disk/bench-small/f" + made, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
            if (descriptor < 0) break;
            Sys.Write((int)descriptor, hundred);
            Sys.Close((int)descriptor);
        }
        long created = Sys.Uptime();
        int unlinked = 0;
        for (int i = 0; i < made; i++) if (Sys.Unlink("/disk/bench-small/f" + i) == 0) unlinked++;
        long done = Sys.Uptime();
        Sys.RemoveDirectory("/disk/bench-small");
        if (made != SmallFiles || unlinked != SmallFiles) { Console.WriteLine("bench: small files: " + made + " made, " + unlinked + " unlinked"); return; }
        long createTime = created - start, unlinkTime = done - created;
        Console.WriteLine("bench fs-small-file-create: " + SmallFiles * 1000L / (createTime > 0 ? createTime : 1) +
                          " files/s (create + write 100 B + close, " + SmallFiles + " files in one directory, " + createTime + " ms)");
        Console.WriteLine("bench fs-small-file-unlink: " + SmallFiles * 1000L / (unlinkTime > 0 ? unlinkTime : 1) +
                          " files/s (the same files, " + unlinkTime + " ms)");
    }

    /// <summary>
    /// The disk's paths that need no disk, as `bench paths` measures the others (medians, in rdtsc
    /// cycles: instructions under -icount): a stat two levels below /disk, and a seek and 1 KiB read
    /// whose block is in the buffer cache. Paths that wait for the disk (a create, a write: each log
    /// operation commits before the call returns) have no instruction count: under -icount the guest's
    /// clock runs on while the CPU waits for the disk, by as long as the host takes, so their figures
    /// differ from run to run by ten times; bench fs-write times them instead.
    /// </summary>
    private static int FilePaths()
    {
        const int Rounds = 1001;
        ulong[] samples = new ulong[Rounds];
        Sys.MakeDirectory("/disk/bench-paths");
        byte[] kibibyte = new byte[1024];
        long file = Sys.Open("/disk/bench-paths/f", OpenFlags.ReadWrite | OpenFlags.Create);
        Sys.Write((int)file, kibibyte);
        for (int i = 0; i < Rounds; i++)
        {
            ulong start = Timestamp.Read();
            Sys.PathStatus("/disk/bench-paths/f", out FileStatus status);
            samples[i] = Timestamp.Read() - start;
        }
        Report("disk-stat", Timestamp.Median(samples, Rounds), "cycles (stat of /disk/bench-paths/f: two lookups, inodes cached)");
        for (int i = 0; i < Rounds; i++)
        {
            ulong start = Timestamp.Read();
            Sys.Seek((int)file, 0, SeekFrom.Start);
            Sys.Read((int)file, kibibyte);
            samples[i] = Timestamp.Read() - start;
        }
        Report("disk-read-1kib-cached", Timestamp.Median(samples, Rounds), "cycles (seek, read 1 KiB whose block is in the buffer cache)");
        Sys.Close((int)file);
        Sys.Unlink("/disk/bench-paths/f");
        Sys.RemoveDirectory("/disk/bench-paths");
        return 0;
    }
}
