using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases of several processes at one directory or one file of the disk at /disk, after
/// xv6's usertests (createdelete, concurrent create, linkunlink, fourfiles, sharedfd). Each child
/// reports through its exit status (0: every call answered as it must); each test works in a
/// directory of its own and removes it, so that fsck finds the disk clean afterwards. The disk's
/// locks (the log's operation, then the directory's inode, then the file's) are what they exercise:
/// under -smp 2 and 4 the processes really run at once.
/// </summary>
public static unsafe partial class UserTests
{
    private const int RacingProcesses = 4;
    private static int s_racer;                 // which child this is (set before each fork)

    private static long[] ForkRacers(delegate*<int> body)
    {
        long[] pids = new long[RacingProcesses];
        for (int p = 0; p < RacingProcesses; p++)
        {
            s_racer = p;
            pids[p] = ForkRunning(body);
        }
        return pids;
    }

    private static int[] WaitForRacers(long[] pids)
    {
        int[] statuses = new int[pids.Length];
        for (int p = 0; p < pids.Length; p++) statuses[p] = pids[p] > 0 ? WaitFor(pids[p]) : -1;
        return statuses;
    }

    private static int CountEntries(string directory)
    {
        long descriptor = Sys.Open(directory, OpenFlags.ReadOnly);
        int count = 0;
        while (Sys.ReadDirectory((int)descriptor, count, out DirectoryEntry entry) == 1) count++;
        Sys.Close((int)descriptor);
        return count;
    }

    // ---- createdelete: four processes, each creating its own names and deleting them as it goes ----

    private const int CreateDeleteFiles = 20;

    // xv6's createdelete: create x0..x19; after creating xi (i > 0, i even) delete x(i/2), so the
    // deletes trail the creates. At the end x1..x9 are gone, x0 and x10..x19 are there.
    private static int CreateDeleteOwnNames()
    {
        for (int i = 0; i < CreateDeleteFiles; i++)
        {
            long descriptor = Sys.Open("/disk/t-cd4/p" + s_racer + "-" + i, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
            if (descriptor < 0) return 1;
            Sys.Close((int)descriptor);
            if (i > 0 && i % 2 == 0 && Sys.Unlink("/disk/t-cd4/p" + s_racer + "-" + (i / 2)) != 0) return 2;
        }
        return 0;
    }

    private static bool CreateDeleteKeeps(int i) => i == 0 || i >= CreateDeleteFiles / 2;

    private static void DiskCreateDeleteFour()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-cd4"), 0, "mkdir");
        int[] statuses = WaitForRacers(ForkRacers(&CreateDeleteOwnNames));
        for (int p = 0; p < RacingProcesses; p++) Expect(statuses[p], 0, "process " + p + " created and deleted its files");
        int kept = 0;
        for (int p = 0; p < RacingProcesses; p++)
            for (int i = 0; i < CreateDeleteFiles; i++)
            {
                string name = "/disk/t-cd4/p" + p + "-" + i;
                bool there = Sys.PathStatus(name, out _) == 0;
                Check(there == CreateDeleteKeeps(i), name + (there ? " is there and should not be" : " is missing"));
                if (there) { kept++; Sys.Unlink(name); }
            }
        Expect(CountEntries("/disk/t-cd4"), 0, "every name kept was listed, and unlinked");
        Expect(Sys.RemoveDirectory("/disk/t-cd4"), 0, "rmdir");
        Check(kept > 0, "some names were kept");
    }

    // ---- concurrent create of one name: O_EXCL lets exactly one process win ----

    private const int ContestedNames = 40;

    // For each name, every process tries O_CREAT|O_EXCL; a winner writes its number into the file.
    // The exit status is the number of names won (a wrong error ends it with 200).
    private static int CreateContestedNames()
    {
        int won = 0;
        byte me = (byte)s_racer;
        for (int i = 0; i < ContestedNames; i++)
        {
            long descriptor = Sys.Open("/disk/t-excl/n" + i, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
            if (descriptor == -Errno.EEXIST) continue;
            if (descriptor < 0) return 200;
            if (Sys.Write((int)descriptor, new ReadOnlySpan<byte>(&me, 1)) != 1) return 201;
            Sys.Close((int)descriptor);
            won++;
        }
        return won;
    }

    private static void DiskConcurrentExclusiveCreate()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-excl"), 0, "mkdir");
        int[] won = WaitForRacers(ForkRacers(&CreateContestedNames));
        int total = 0;
        int[] owners = new int[RacingProcesses];
        for (int p = 0; p < RacingProcesses; p++)
        {
            Check(won[p] >= 0 && won[p] <= ContestedNames, "process " + p + " got only EEXIST or success (status " + won[p] + ")");
            total += won[p];
        }
        Expect(total, ContestedNames, "each name was won exactly once");
        for (int i = 0; i < ContestedNames; i++)
        {
            byte owner = 255;
            long descriptor = Sys.Open("/disk/t-excl/n" + i, OpenFlags.ReadOnly);
            Expect(Sys.Read((int)descriptor, new Span<byte>(&owner, 1)), 1, "n" + i + " holds its winner's byte");
            Sys.Close((int)descriptor);
            if (owner < RacingProcesses) owners[owner]++;
            Expect(Sys.Unlink("/disk/t-excl/n" + i), 0, "unlink n" + i);
        }
        for (int p = 0; p < RacingProcesses; p++) Expect(owners[p], won[p], "the files process " + p + " wrote are the names it won");
        Expect(Sys.RemoveDirectory("/disk/t-excl"), 0, "rmdir");
    }

    // ---- linkunlink: processes link, create and unlink the same few names at random ----

    private const int LinkUnlinkNames = 5, LinkUnlinkRounds = 150;

    private static int LinkUnlinkAtRandom()
    {
        uint x = (uint)(s_racer * 97 + 1);
        for (int i = 0; i < LinkUnlinkRounds; i++)
        {
            x = x * 1103515245 + 12345;
            string name = "/disk/t-lu/x" + (x >> 8) % LinkUnlinkNames;
            long result;
            switch ((x >> 16) % 3)
            {
                case 0:
                    result = Sys.Open(name, OpenFlags.ReadWrite | OpenFlags.Create);
                    if (result >= 0) result = Sys.Close((int)result);
                    break;
                case 1:
                    result = Sys.Link("/disk/t-lu/target", name);
                    if (result == -Errno.EEXIST) result = 0;
                    break;
                default:
                    result = Sys.Unlink(name);
                    if (result == -Errno.ENOENT) result = 0;
                    break;
            }
            if (result < 0) return (int)((x >> 16) % 3 * 64 + -result);  // which call, and its errno
        }
        return 0;
    }

    private static void DiskLinkUnlinkRace()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-lu"), 0, "mkdir");
        long target = Sys.Open("/disk/t-lu/target", OpenFlags.WriteOnly | OpenFlags.Create);
        Sys.Close((int)target);
        int[] statuses = WaitForRacers(ForkRacers(&LinkUnlinkAtRandom));
        for (int p = 0; p < RacingProcesses; p++) Expect(statuses[p], 0, "process " + p + " got only the errors a race allows");

        // The target's link count is one more than the names left that are links to it.
        Expect(Sys.PathStatus("/disk/t-lu/target", out FileStatus targetStatus), 0, "stat the target");
        int links = 1;
        for (int i = 0; i < LinkUnlinkNames; i++)
        {
            string name = "/disk/t-lu/x" + i;
            if (Sys.PathStatus(name, out FileStatus status) != 0) continue;
            if (status.Inode == targetStatus.Inode) links++;
            else Expect(status.Links, 1, name + ", a file of its own, has one name");
            Expect(Sys.Unlink(name), 0, "unlink " + name);
        }
        Expect(targetStatus.Links, links, "the target's link count is the number of its names");
        Expect(Sys.Unlink("/disk/t-lu/target"), 0, "unlink the target");
        Expect(Sys.RemoveDirectory("/disk/t-lu"), 0, "rmdir");
    }

    // ---- fourfiles: four processes, each writing its own file at once ----

    private const int FourFilesWrites = 12, FourFilesPiece = 500;

    private static int WriteOwnFile()
    {
        byte[] piece = new byte[FourFilesPiece];
        for (int i = 0; i < piece.Length; i++) piece[i] = (byte)('0' + s_racer);
        long descriptor = Sys.Open("/disk/t-four/f" + s_racer, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
        if (descriptor < 0) return 1;
        for (int i = 0; i < FourFilesWrites; i++)
            if (Sys.Write((int)descriptor, piece) != FourFilesPiece) return 2;
        return Sys.Close((int)descriptor) == 0 ? 0 : 3;
    }

    private static void DiskFourFiles()
    {
        if (!DiskMounted()) return;
        Expect(Sys.MakeDirectory("/disk/t-four"), 0, "mkdir");
        int[] statuses = WaitForRacers(ForkRacers(&WriteOwnFile));
        byte[] buffer = new byte[1000];
        for (int p = 0; p < RacingProcesses; p++)
        {
            Expect(statuses[p], 0, "process " + p + " wrote its file");
            long descriptor = Sys.Open("/disk/t-four/f" + p, OpenFlags.ReadOnly);
            long total = 0, read;
            bool right = true;
            while ((read = Sys.Read((int)descriptor, buffer)) > 0)
            {
                for (int i = 0; i < read; i++) right &= buffer[i] == (byte)('0' + p);
                total += read;
            }
            Sys.Close((int)descriptor);
            Expect(total, FourFilesWrites * FourFilesPiece, "f" + p + "'s size");
            Check(right, "f" + p + " holds only its writer's bytes");
            Expect(Sys.Unlink("/disk/t-four/f" + p), 0, "unlink f" + p);
        }
        Expect(Sys.RemoveDirectory("/disk/t-four"), 0, "rmdir");
    }

    // ---- sharedfd: two processes writing through one descriptor (one offset) ----

    private const int SharedWrites = 500, SharedPiece = 10;

    private static void DiskSharedDescriptor()
    {
        if (!DiskMounted()) return;
        long descriptor = Sys.Open("/disk/t-sharedfd", OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        Check(descriptor >= 0, "create /disk/t-sharedfd");
        long child = Sys.Fork();
        byte[] piece = new byte[SharedPiece];
        for (int i = 0; i < piece.Length; i++) piece[i] = (byte)(child == 0 ? 'c' : 'p');
        bool ok = true;
        for (int i = 0; i < SharedWrites; i++) ok &= Sys.Write((int)descriptor, piece) == SharedPiece;
        if (child == 0) Sys.Exit(ok ? 0 : 1);
        Expect(WaitFor(child), 0, "the child's writes");
        Check(ok, "the parent's writes");
        // One offset for both: no write landed on another, so every byte of both is there.
        Expect(Sys.Seek((int)descriptor, 0, SeekFrom.Current), 2 * SharedWrites * SharedPiece, "the shared offset moved past both processes' writes");
        Sys.Seek((int)descriptor, 0, SeekFrom.Start);
        byte[] buffer = new byte[1000];
        int children = 0, parents = 0, others = 0;
        long read;
        while ((read = Sys.Read((int)descriptor, buffer)) > 0)
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] == 'c') children++;
                else if (buffer[i] == 'p') parents++;
                else others++;
            }
        Sys.Close((int)descriptor);
        Expect(children, SharedWrites * SharedPiece, "the child's bytes");
        Expect(parents, SharedWrites * SharedPiece, "the parent's bytes");
        Expect(others, 0, "nothing else");
        Expect(Sys.Unlink("/disk/t-sharedfd"), 0, "unlink");
    }
}
