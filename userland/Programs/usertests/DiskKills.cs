using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' case of processes killed while they sleep waiting for the disk: four children write,
/// truncate and fsync files under /disk, so they spend most of their time asleep in the block
/// driver's wait queue (kernel/Drivers/VirtioBlock.cs) or the log's; the parent waits until a child's
/// thread is blocked and kills it there. A kill wakes such a sleeper, which must sleep on (the device
/// still owns its buffers, the log its operation) and die only on its way back to ring 3, so that
/// nothing leaks and no operation is left half done. Afterwards every file reads to its end, the log
/// takes new operations, and the directory is removed: tests/Integration/DiskFileSystemTests.cs then
/// counts the frames and runs fsck on the image.
/// </summary>
public static unsafe partial class UserTests
{
    private const int KillRounds = 3;
    private const int KilledWriteSize = 8192;
    private const int ThreadBlocked = 2;            // ThreadInfo.State (kernel/Sched/ThreadState.cs)

    private static void DiskKillWhileWaiting()
    {
        if (!DiskMounted()) return;
        Capture("/bin/rm", new[] { "rm", "-r", "/disk/t-kill" }, out int unused);
        Expect(Sys.MakeDirectory("/disk/t-kill"), 0, "mkdir /disk/t-kill");
        int killedWhileBlocked = 0, kills = 0;
        for (int round = 0; round < KillRounds; round++)
        {
            long[] pids = ForkRacers(&WriteUntilKilled);
            Sys.Sleep(10 + 15 * round);                 // each round kills at another point of the children's work
            foreach (long pid in pids)
            {
                if (pid <= 0) continue;
                if (WaitUntilBlockedYielding(pid)) killedWhileBlocked++;
                Expect(Sys.Kill((int)pid), 0, "kill a writer");
                kills++;
            }
            int[] statuses = WaitForRacers(pids);
            foreach (int status in statuses) Expect(status, 137, "a writer killed in the disk's wait exits with 137, not by finishing");
        }
        Console.WriteLine("  disk-kill-sleeper: " + killedWhileBlocked + " of " + kills + " writers killed asleep in the kernel");
        Check(killedWhileBlocked * 2 >= kills, "most kills found the writer asleep in the kernel: " + killedWhileBlocked + " of " + kills);

        for (int racer = 0; racer < RacingProcesses; racer++)
        {
            string path = "/disk/t-kill/p" + racer;
            Check(ReadsThroughAs(path, (byte)(racer + 1)), path + " reads to its end, every byte its writer's");
        }
        Touch("/disk/t-kill/after", "the log takes new operations");
        Check(Files.ReadAllText("/disk/t-kill/after", out long readError) == "the log takes new operations" && readError == 0, "a file written after the kills reads back");
        Capture("/bin/rm", new[] { "rm", "-r", "/disk/t-kill" }, out int removed);
        Expect(removed, 0, "rm -r /disk/t-kill");
        Expect(Stat("/disk/t-kill").Kind, -Errno.ENOENT, "the directory is gone");
    }

    // A child: writes its file, truncating it every 8 writes and syncing every 4, until it is killed.
    private static int WriteUntilKilled()
    {
        byte[] chunk = new byte[KilledWriteSize];
        for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)(s_racer + 1);
        long fd = Sys.Open("/disk/t-kill/p" + s_racer, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (fd < 0) return 1;
        for (int i = 0; ; i++)
        {
            if (Sys.Write((int)fd, chunk) < 0) return 2;
            if (i % 4 == 3 && Sys.Sync((int)fd) < 0) return 3;
            if (i % 8 == 7 && (Sys.Truncate((int)fd, 0) < 0 || Sys.Seek((int)fd, 0, SeekFrom.Start) != 0)) return 4;
        }
    }

    // Polls the child's thread until it is blocked (asleep in the kernel), yielding between looks so that
    // a short sleep on the disk is caught (MessageQueues.cs' WaitUntilBlocked sleeps instead); false if never seen so.
    private static bool WaitUntilBlockedYielding(long pid)
    {
        for (int attempt = 0; attempt < 2000; attempt++)
        {
            for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
                if (info.ProcessId == pid && info.State == ThreadBlocked) return true;
            Sys.Yield();
        }
        return false;
    }

    private static bool ReadsThroughAs(string path, byte expected)
    {
        long fd = Sys.Open(path, OpenFlags.ReadOnly);
        if (fd < 0) return false;
        byte* buffer = stackalloc byte[1024];
        bool same = true;
        long read;
        while ((read = Sys.Read((int)fd, new Span<byte>(buffer, 1024))) > 0)
            for (int i = 0; i < read; i++) same &= buffer[i] == expected;
        Sys.Close((int)fd);
        return same && read == 0;
    }
}
