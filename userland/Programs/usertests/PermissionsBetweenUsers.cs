using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases of permissions between users (the helpers, Alice and Bob, are in Permissions.cs):
/// the sticky bit in a shared directory, who may kill whom, and two ordinary users who must stay out of
/// each other's files and processes.
/// </summary>
public static unsafe partial class UserTests
{
    // ---- The sticky bit: in a shared directory only a file's owner (or the directory's, or root) removes it ----

    private static void StickyDirectory()
    {
        MakeDirectoryWith("/tmp/ut-sticky", 0x3FF);             // 1777, root's
        AsUser(Alice, &AliceCreates, "the first user creates");
        AsUser(Bob, &BobMayNotRemove, "the second user in the sticky directory");
        AsUser(Alice, &AliceRemovesHerOwn, "the owner removes");
        Expect(Sys.ChangeMode("/tmp/ut-sticky", 0x1FF), 0, "chmod 0777: no sticky bit");
        AsUser(Alice, &AliceCreates, "the first user creates again");
        AsUser(Bob, &BobRemovesWithoutSticky, "without the sticky bit anyone who may write the directory removes");
        Expect(Sys.ChangeMode("/tmp/ut-sticky", 0x3FF), 0, "1777 again");
        AsUser(Alice, &AliceCreates, "the first user creates a third time");
        Expect(Sys.Unlink("/tmp/ut-sticky/alice"), 0, "root removes anyone's file from a sticky directory");
        Expect(Sys.RemoveDirectory("/tmp/ut-sticky/alice-dir"), 0, "and directory");
        Expect(Sys.RemoveDirectory("/tmp/ut-sticky"), 0, "clean up");
        Check((ModeOf("/tmp") & FileMode.Sticky) != 0 && (ModeOf("/tmp") & 0x1FF) == 0x1FF, "/tmp is 1777");
    }

    private static void AliceCreates()
    {
        Expect(Files.WriteAllText("/tmp/ut-sticky/alice", "alice's\n"), 0, "create a file");
        Expect(Sys.ChangeMode("/tmp/ut-sticky/alice", 0x1B6), 0, "chmod 0666: anyone may write it");
        Expect(Sys.MakeDirectory("/tmp/ut-sticky/alice-dir"), 0, "and an empty directory");
    }

    private static void BobMayNotRemove()
    {
        Expect(Sys.Unlink("/tmp/ut-sticky/alice"), -Errno.EPERM, "unlink another user's file");
        Expect(Sys.RemoveDirectory("/tmp/ut-sticky/alice-dir"), -Errno.EPERM, "rmdir another user's directory");
        Expect(Sys.Rename("/tmp/ut-sticky/alice", "/tmp/ut-sticky/stolen"), -Errno.EPERM, "rename it away");
        // The /tmp symlink attack: put a link where the victim's file is. Replacing it is removing it.
        Expect(Sys.SymbolicLink("/etc/motd", "/tmp/ut-sticky/bob-link"), 0, "a link of one's own");
        Expect(Sys.Rename("/tmp/ut-sticky/bob-link", "/tmp/ut-sticky/alice"), -Errno.EPERM, "rename one's link over the file");
        long opened = Sys.Open("/tmp/ut-sticky/alice", OpenFlags.WriteOnly | OpenFlags.Append);
        Check(opened >= 0, "writing the 0666 file is still allowed (the sticky bit guards the name, not the contents)");
        if (opened >= 0) Sys.Close((int)opened);
        Expect(Sys.Unlink("/tmp/ut-sticky/bob-link"), 0, "one's own link goes");
    }

    private static void AliceRemovesHerOwn()
    {
        Expect(Sys.Rename("/tmp/ut-sticky/alice", "/tmp/ut-sticky/alice2"), 0, "the owner renames");
        Expect(Sys.Unlink("/tmp/ut-sticky/alice2"), 0, "and unlinks");
        Expect(Sys.RemoveDirectory("/tmp/ut-sticky/alice-dir"), 0, "and removes the directory");
    }

    private static void BobRemovesWithoutSticky()
    {
        Expect(Sys.Unlink("/tmp/ut-sticky/alice"), 0, "unlink another user's file");
        Expect(Sys.RemoveDirectory("/tmp/ut-sticky/alice-dir"), 0, "rmdir another user's empty directory");
    }

    // ---- kill: only the same user, or root ----

    private static void KillPermissions()
    {
        long sleeper = Sys.Spawn("/bin/sleep", new[] { "sleep", "100000" }, 0, 1, 2);
        Check(sleeper > 0, "root starts a sleeper");
        s_rootSleeper = (int)sleeper;
        AsUser(Alice, &UserKills, "kill across users");
        Expect(Sys.Kill((int)sleeper), 0, "root kills its own process");
        Expect(Sys.Wait((int)sleeper, out int status), sleeper, "collect it");
    }

    private static int s_rootSleeper;

    private static void UserKills()
    {
        Expect(Sys.Kill(s_rootSleeper), -Errno.EPERM, "a user kills root's process");
        Expect(Sys.Kill(1), -Errno.EPERM, "a user kills init");
        long own = Sys.Spawn("/bin/sleep", new[] { "sleep", "100000" }, 0, 1, 2);
        Check(own > 0, "the user starts its own sleeper");
        Expect(Sys.Kill((int)own), 0, "and kills it");
        Expect(Sys.Wait((int)own, out int status), own, "collect it");
        Expect(status, 137, "killed");
    }

    // ---- two ordinary users: neither reads the other's private file nor kills the other's process ----

    private static void TwoUsers()
    {
        Make("/tmp/ut-bob-private", "bob's", FileMode.OwnerRead | FileMode.OwnerWrite, Bob);     // 0600, bob's
        long bobs = Sys.Fork();
        if (bobs == 0)
        {
            Sys.SetGroupId(Bob);
            Sys.SetUserId(Bob);
            Sys.Sleep(100000);
            Sys.Exit(0);
        }
        Check(bobs > 0, "a process of bob's");
        s_bobsProcess = (int)bobs;
        AsUser(Alice, &AliceMeetsBob, "alice and bob's private file and process");
        Expect(Sys.Kill((int)bobs), 0, "root kills bob's process");
        Expect(Sys.Wait((int)bobs, out int status), bobs, "collect it");
        Expect(Sys.Unlink("/tmp/ut-bob-private"), 0, "unlink bob's file");
    }

    private static int s_bobsProcess;

    private static void AliceMeetsBob()
    {
        Expect(Sys.Open("/tmp/ut-bob-private", OpenFlags.ReadOnly), -Errno.EACCES, "alice reads bob's 0600 file");
        Expect(Sys.Open("/tmp/ut-bob-private", OpenFlags.WriteOnly), -Errno.EACCES, "alice writes bob's 0600 file");
        Expect(Sys.ChangeMode("/tmp/ut-bob-private", FileMode.Permissions), -Errno.EPERM, "alice chmods bob's file");
        Expect(Sys.Kill(s_bobsProcess), -Errno.EPERM, "alice kills bob's process");
    }
}
