using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for credentials and file permissions (kernel/Fs/Permissions/, chapter 9 of the
/// guide). usertests runs as root; each case sets files up as root, then forks a child that drops to
/// an ordinary user (uid 1000, or 1001 for a second user) with setuid and tries what that user may and
/// may not do. The child exits with its failed checks' count, which the parent expects to be 0.
/// </summary>
public static unsafe partial class UserTests
{
    private const int Alice = 1000, Bob = 1001, Staff = 50;

    // Runs body in a child that is user `user` (group `user` too: real, effective and saved) with umask 022.
    private static void AsUser(int user, delegate*<void> body, string what)
    {
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Sys.SetFileCreationMask(Credentials022);
            Expect(Sys.SetGroupId(user), 0, "root's setgid to " + user);
            Expect(Sys.SetUserId(user), 0, "root's setuid to " + user);
            body();
            Sys.Exit(Failures);
        }
        Expect(pid > 0 ? 0 : pid, 0, "fork for " + what);
        if (pid > 0) Expect(WaitFor(pid), 0, what + ": the child's failed checks");
    }

    private const int Credentials022 = FileMode.GroupWrite | FileMode.OtherWrite;

    private static void Make(string path, string text, int mode, int owner = 0)
    {
        Expect(Files.WriteAllText(path, text), 0, "write " + path);
        Expect(Sys.ChangeOwner(path, owner, owner), 0, "chown " + path);
        Expect(Sys.ChangeMode(path, mode), 0, "chmod " + path);
    }

    private static void MakeDirectoryWith(string path, int mode, int owner = 0)
    {
        Expect(Sys.MakeDirectory(path), 0, "mkdir " + path);
        Expect(Sys.ChangeOwner(path, owner, owner), 0, "chown " + path);
        Expect(Sys.ChangeMode(path, mode), 0, "chmod " + path);
    }

    private static int ModeOf(string path) => Sys.LinkStatus(path, out FileStatus status) == 0 ? status.Mode : -1;

    private static int OwnerOf(string path) => Sys.LinkStatus(path, out FileStatus status) == 0 ? status.UserId : -1;

    // ---- Credentials: the ids and the rules for changing them ----

    private static void CredentialIds()
    {
        Expect(Sys.GetUserId(), 0, "usertests runs as root (getuid)");
        Expect(Sys.GetEffectiveUserId(), 0, "geteuid");
        Expect(Sys.GetGroupId(), 0, "getgid");
        Expect(Sys.GetEffectiveGroupId(), 0, "getegid");
        Expect(Sys.SetUserId(-5), -Errno.EINVAL, "setuid(-5)");
        Expect(Sys.SetUserId(-1), -Errno.EINVAL, "setuid(-1): -1 means 'unchanged' only where a call says so");
        Expect(Sys.SetUserId(UserIds.MaximumId + 1), -Errno.EINVAL, "setuid past the largest id");
        Expect(Sys.SetUserIds(-2, -1, -1), -Errno.EINVAL, "setresuid(-2, ...)");
        Expect(Sys.SetGroupIds(0, int.MinValue, -1), -Errno.EINVAL, "setresgid with int.MinValue");
        Expect(Sys.SetRealEffectiveUserId(-1, 1 << 30), -Errno.EINVAL, "setreuid to 2^30");
        Expect(Sys.GetUserId(), 0, "refused calls changed nothing");
        AsUser(Alice, &OrdinaryUserIds, "ids of an ordinary user");
        AsUser(Alice, &GroupsAndMask, "groups and umask");
    }

    private static void OrdinaryUserIds()
    {
        Expect(Sys.GetUserIds(out int real, out int effective, out int saved), 0, "getresuid");
        Check(real == Alice && effective == Alice && saved == Alice, "root's setuid set all three uids");
        Expect(Sys.SetUserId(0), -Errno.EPERM, "a user's setuid(0)");
        Expect(Sys.SetRealEffectiveUserId(-1, 0), -Errno.EPERM, "a user's seteuid(0)");
        Expect(Sys.SetUserIds(0, -1, -1), -Errno.EPERM, "a user's setresuid(0, -1, -1)");
        Expect(Sys.SetUserId(Bob), -Errno.EPERM, "a user becomes another");
        Expect(Sys.SetGroupId(0), -Errno.EPERM, "a user's setgid(0)");
        Expect(Sys.SetUserId(UserIds.MaximumId + 1), -Errno.EINVAL, "a bad id is EINVAL before EPERM");
        Expect(Sys.SetUserId(Alice), 0, "setuid to one's own uid");
        Expect(Sys.SetUserIds(-1, -1, -1), 0, "setresuid(-1, -1, -1) changes nothing");
        Expect(Sys.GetUserId(), Alice, "still the same user");
    }

    // setresuid(1000, 1000, 0) keeps root in the saved uid: seteuid(0) takes it back; root's setuid(1000) then drops it for good.
    private static void SavedIds()
    {
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Expect(Sys.SetUserIds(Alice, Alice, 0), 0, "root: setresuid(1000, 1000, 0)");
            Expect(Sys.GetEffectiveUserId(), Alice, "effective uid 1000");
            Expect(Sys.Open("/etc/ut-perm-secret", OpenFlags.ReadOnly), -Errno.EACCES, "as 1000, the 0600 root file is closed");
            Expect(Sys.SetRealEffectiveUserId(-1, 0), 0, "seteuid(0): allowed, 0 is the saved uid");
            Expect(Sys.GetEffectiveUserId(), 0, "root again");
            long opened = Sys.Open("/etc/ut-perm-secret", OpenFlags.ReadOnly);
            Check(opened >= 0, "root reads it");
            if (opened >= 0) Sys.Close((int)opened);
            Expect(Sys.SetUserId(Alice), 0, "root's setuid(1000) sets all three");
            Expect(Sys.SetRealEffectiveUserId(-1, 0), -Errno.EPERM, "no way back after that");
            Sys.Exit(Failures);
        }
        Expect(WaitFor(pid), 0, "saved uid: the child's failed checks");
    }

    private static void GroupsAndMask()
    {
        Expect(Sys.GetGroups(default), 0, "no supplementary groups");
        int* groups = stackalloc int[2];
        groups[0] = Staff;
        Expect(Sys.SetGroups(new ReadOnlySpan<byte>(groups, 4)), -Errno.EPERM, "setgroups is root's");
        Expect(Sys.SetFileCreationMask(0x3F), Credentials022, "umask gives the old mask");
        Expect(Sys.SetFileCreationMask(Credentials022), 0x3F, "and takes the new one");
    }

    private static void SupplementaryGroups()
    {
        long pid = Sys.Fork();
        if (pid == 0)
        {
            int* groups = stackalloc int[UserIds.MaximumGroups + 1];
            groups[0] = Staff;
            groups[1] = 60;
            Expect(Sys.SetGroups(new ReadOnlySpan<byte>(groups, 3)), -Errno.EINVAL, "setgroups of 3 bytes");
            Expect(Sys.SetGroups(new ReadOnlySpan<byte>(groups, 4 * (UserIds.MaximumGroups + 1))), -Errno.EINVAL, "one group too many");
            groups[2] = -7;
            Expect(Sys.SetGroups(new ReadOnlySpan<byte>(groups, 12)), -Errno.EINVAL, "a bad group id");
            Expect(Sys.SetGroups(new ReadOnlySpan<byte>(groups, 8)), 0, "root's setgroups(50, 60)");
            int* read = stackalloc int[4];
            Expect(Sys.GetGroups(new Span<byte>(read, 16)), 2, "getgroups counts two");
            Check(read[0] == Staff && read[1] == 60, "and gives them back");
            Expect(Sys.GetGroups(new Span<byte>(read, 4)), -Errno.EINVAL, "getgroups into a buffer too small");
            Expect(Sys.SetGroupId(Alice), 0, "setgid(1000)");
            Expect(Sys.SetUserId(Alice), 0, "setuid(1000): the groups stay");
            // The group class: a 0640 file of group 50 is readable by a member, not by others.
            long staff = Sys.Open("/etc/ut-perm-staff", OpenFlags.ReadOnly);
            Check(staff >= 0, "a member of group 50 reads its 0640 file");
            if (staff >= 0) Sys.Close((int)staff);
            Expect(Sys.ChangeOwner("/tmp/ut-perm-alice", -1, Staff), 0, "an owner gives its file to a group it is in");
            Expect(Sys.ChangeOwner("/tmp/ut-perm-alice", -1, 77), -Errno.EPERM, "but not to a group it is not in");
            Sys.Exit(Failures);
        }
        Expect(WaitFor(pid), 0, "supplementary groups: the child's failed checks");
    }

    // ---- Files: what an ordinary user may do to root's files and to its own ----

    private static void FilePermissionChecks()
    {
        Make("/etc/ut-perm-secret", "secret\n", 0x180);          // 0600
        Make("/etc/ut-perm-public", "public\n", 0x1A4);          // 0644
        Make("/etc/ut-perm-staff", "staff\n", 0x1A0);            // 0640, group 0 until chown below
        Expect(Sys.ChangeOwner("/etc/ut-perm-staff", -1, Staff), 0, "give the staff file to group 50");
        Sys.Unlink("/tmp/ut-perm-alice");
        AsUser(Alice, &UserMeetsRootsFiles, "an ordinary user and root's files");
        SavedIds();
        Expect(OwnerOf("/tmp/ut-perm-alice"), Alice, "the user's new file is the user's");
        SupplementaryGroups();
        Expect(Sys.PathStatus("/tmp/ut-perm-alice", out FileStatus status), 0, "stat the user's file");
        Check(status.GroupId == Staff, "its group changed to 50 (got " + status.GroupId + ")");
        // Root passes the read and write checks whatever the mode.
        Expect(Sys.ChangeMode("/etc/ut-perm-secret", 0), 0, "chmod 0000");
        long opened = Sys.Open("/etc/ut-perm-secret", OpenFlags.ReadWrite);
        Check(opened >= 0, "root opens a 0000 file to read and write");
        if (opened >= 0) Sys.Close((int)opened);
        Expect(Sys.Unlink("/etc/ut-perm-secret"), 0, "clean up");
        Expect(Sys.Unlink("/etc/ut-perm-public"), 0, "clean up");
        Expect(Sys.Unlink("/etc/ut-perm-staff"), 0, "clean up");
        Expect(Sys.Unlink("/tmp/ut-perm-alice"), 0, "root removes the user's file");
    }

    private static void UserMeetsRootsFiles()
    {
        Expect(Sys.Open("/etc/ut-perm-secret", OpenFlags.ReadOnly), -Errno.EACCES, "read a 0600 root file");
        Expect(Sys.Open("/etc/ut-perm-public", OpenFlags.WriteOnly), -Errno.EACCES, "write a 0644 root file");
        Expect(Sys.Open("/etc/ut-perm-public", OpenFlags.ReadOnly | OpenFlags.Truncate), -Errno.EACCES, "truncate it (O_TRUNC is writing)");
        Expect(Sys.Open("/etc/ut-perm-staff", OpenFlags.ReadOnly), -Errno.EACCES, "read a 0640 file of a group one is not in");
        long opened = Sys.Open("/etc/ut-perm-public", OpenFlags.ReadOnly);
        Check(opened >= 0, "read a 0644 root file");
        if (opened >= 0) Sys.Close((int)opened);
        Expect(Sys.Open("/etc/ut-perm-new", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.EACCES, "create in a 0755 root directory");
        Expect(Sys.MakeDirectory("/etc/ut-perm-dir"), -Errno.EACCES, "mkdir in it");
        Expect(Sys.SymbolicLink("/etc/motd", "/etc/ut-perm-link"), -Errno.EACCES, "symlink in it");
        Expect(Sys.Link("/etc/ut-perm-public", "/etc/ut-perm-link"), -Errno.EACCES, "link in it");
        Expect(Sys.Unlink("/etc/ut-perm-public"), -Errno.EACCES, "unlink from it");
        Expect(Sys.Rename("/etc/ut-perm-public", "/etc/ut-perm-moved"), -Errno.EACCES, "rename in it");
        Expect(Sys.ChangeMode("/etc/ut-perm-public", 0x1B6), -Errno.EPERM, "chmod of root's file");
        Expect(Sys.ChangeOwner("/etc/ut-perm-public", Alice, -1), -Errno.EPERM, "chown of root's file to oneself");
        Expect(Sys.ChangeOwner("/etc/ut-perm-public", -1, Alice), -Errno.EPERM, "chgrp of root's file");
        Expect(Sys.ChangeMode("/etc/ut-perm-public", 0x1A4), -Errno.EPERM, "even chmod to the same mode");

        // Its own file, in the world-writable /tmp: everything is allowed.
        Expect(Files.WriteAllText("/tmp/ut-perm-alice", "mine\n"), 0, "create in /tmp (1777)");
        Expect(Sys.PathStatus("/tmp/ut-perm-alice", out FileStatus status), 0, "stat it");
        Check(status.UserId == Alice && status.GroupId == Alice, "owned by the creator's effective uid and gid");
        Expect(status.Mode, 0x1A4, "mode 0666 less the umask 022: 0644");
        Expect(Sys.ChangeMode("/tmp/ut-perm-alice", 0), 0, "chmod 0000 of one's own file");
        Expect(Sys.Open("/tmp/ut-perm-alice", OpenFlags.ReadOnly), -Errno.EACCES, "the owner bits deny the owner too");
        Expect(Sys.ChangeMode("/tmp/ut-perm-alice", 0x1C0 | FileMode.SetGroupId), 0, "chmod 2700 (own group: setgid kept)");
        Expect(ModeOf("/tmp/ut-perm-alice"), 0x1C0 | FileMode.SetGroupId, "mode 2700");
        Expect(Sys.ChangeOwner("/tmp/ut-perm-alice", -1, Alice), 0, "chown to its own group");
        Expect(ModeOf("/tmp/ut-perm-alice"), 0x1C0, "chown cleared setgid");
        opened = Sys.Open("/tmp/ut-perm-alice", OpenFlags.ReadWrite | OpenFlags.Append);
        Check(opened >= 0, "read and write one's own 0700 file");
        if (opened >= 0) Sys.Close((int)opened);
        Expect(Sys.ChangeOwner("/tmp/ut-perm-alice", Bob, -1), -Errno.EPERM, "give one's file away");
        Expect(Sys.ChangeMode("/tmp/ut-perm-alice", 0x1A4), 0, "back to 0644");
    }

    // ---- Search permission: a path walks only through directories one may search ----

    private static void PathTraversal()
    {
        MakeDirectoryWith("/tmp/ut-private", 0x1C0);            // 0700
        Make("/tmp/ut-private/file", "hidden\n", 0x1B6);         // 0666: open to all, but unreachable
        MakeDirectoryWith("/tmp/ut-private/inner", 0x1FF);       // 0777
        MakeDirectoryWith("/tmp/ut-searchonly", 0x1C9);          // 0711: pass through, not list
        Make("/tmp/ut-searchonly/file", "known name\n", 0x1A4);
        MakeDirectoryWith("/tmp/ut-listonly", 0x1E4);            // 0744: list, not pass through
        Make("/tmp/ut-listonly/file", "listed\n", 0x1A4);
        Expect(Sys.SymbolicLink("/tmp/ut-private/file", "/tmp/ut-perm-via-link"), 0, "a link into the private directory");
        AsUser(Alice, &TraverseWithoutSearch, "path traversal");
        Expect(Sys.Unlink("/tmp/ut-perm-via-link"), 0, "clean up");
        Expect(Sys.Unlink("/tmp/ut-private/file"), 0, "clean up");
        Expect(Sys.RemoveDirectory("/tmp/ut-private/inner"), 0, "clean up");
        Expect(Sys.RemoveDirectory("/tmp/ut-private"), 0, "clean up");
        Expect(Sys.Unlink("/tmp/ut-searchonly/file"), 0, "clean up");
        Expect(Sys.RemoveDirectory("/tmp/ut-searchonly"), 0, "clean up");
        Expect(Sys.Unlink("/tmp/ut-listonly/file"), 0, "clean up");
        Expect(Sys.RemoveDirectory("/tmp/ut-listonly"), 0, "clean up");
    }

    private static void TraverseWithoutSearch()
    {
        Expect(Sys.Open("/tmp/ut-private/file", OpenFlags.ReadOnly), -Errno.EACCES, "open through a 0700 directory");
        Expect(Sys.PathStatus("/tmp/ut-private/file", out FileStatus unused), -Errno.EACCES, "stat through it");
        Expect(Sys.PathStatus("/tmp/ut-private/inner/../file", out unused), -Errno.EACCES, "through it and back");
        Expect(Sys.Open("/tmp/ut-private/inner/x", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.EACCES, "create in a 0777 directory below it");
        Expect(Sys.Open("/tmp/ut-perm-via-link", OpenFlags.ReadOnly), -Errno.EACCES, "a symbolic link does not open the way");
        Expect(Sys.ChangeDirectory("/tmp/ut-private"), -Errno.EACCES, "chdir into it");
        Expect(Sys.Open("/tmp/ut-private", OpenFlags.ReadOnly), -Errno.EACCES, "open it to list (readdir)");
        Expect(Sys.Open("/tmp/ut-searchonly", OpenFlags.ReadOnly), -Errno.EACCES, "list a 0711 directory");
        long opened = Sys.Open("/tmp/ut-searchonly/file", OpenFlags.ReadOnly);
        Check(opened >= 0, "but open a file in it by name");
        if (opened >= 0) Sys.Close((int)opened);
        Expect(Sys.ChangeDirectory("/tmp/ut-searchonly"), 0, "and chdir into it");
        Expect(Sys.ChangeDirectory("/"), 0, "chdir back");
        opened = Sys.Open("/tmp/ut-listonly", OpenFlags.ReadOnly);
        Check(opened >= 0, "list a 0744 directory");
        if (opened >= 0)
        {
            Expect(Sys.ReadDirectory((int)opened, 0, out DirectoryEntry entry), 1, "read its entry");
            Sys.Close((int)opened);
        }
        Expect(Sys.Open("/tmp/ut-listonly/file", OpenFlags.ReadOnly), -Errno.EACCES, "but not open what it lists");
        Expect(Sys.ChangeDirectory("/tmp/ut-listonly"), -Errno.EACCES, "nor chdir into it");
    }

    // ---- setuid programs: they run as their owner, and may drop that and take it back ----

    private const int ProgramOwner = 1234;
    private const string SetuidProgram = "/tmp/ut-setuid";

    private static void SetuidPrograms()
    {
        Expect(CopyProgram("/bin/usertests", SetuidProgram), 0, "copy usertests");
        Expect(Sys.ChangeOwner(SetuidProgram, ProgramOwner, ProgramOwner), 0, "give the copy to user 1234");
        Expect(Sys.ChangeMode(SetuidProgram, FileMode.Program | FileMode.SetUserId | FileMode.SetGroupId), 0, "chmod 6755");
        Expect(ModeOf(SetuidProgram), FileMode.Program | FileMode.SetUserId | FileMode.SetGroupId, "mode 6755");
        AsUser(Alice, &RunSetuid, "a setuid program");
        Expect(Sys.ChangeOwner(SetuidProgram, ProgramOwner, -1), 0, "root's chown (to the same owner)");
        Expect(ModeOf(SetuidProgram), FileMode.Program, "chown cleared setuid and setgid");
        AsUser(Alice, &RunPlain, "the program without its setuid bit");
        Expect(Sys.Unlink(SetuidProgram), 0, "clean up");
    }

    private static void RunSetuid()
    {
        Expect(Sys.ChangeMode(SetuidProgram, FileMode.Program), -Errno.EPERM, "a user clears another's setuid bit");
        long pid = Sys.Spawn(SetuidProgram, new[] { "usertests", "setuid-probe" }, 0, 1, 2);
        Check(pid > 0, "spawn the setuid program");
        if (pid > 0) Expect(WaitFor(pid), SetuidProbeAnswer, "spawn: it ran as 1234 and dropped to 1000 and back");
        pid = Sys.Fork();
        if (pid == 0) Sys.Exit((int)(100 - Sys.Exec(SetuidProgram, new[] { "usertests", "setuid-probe" })));
        Expect(WaitFor(pid), SetuidProbeAnswer, "exec: the same");
        Expect(Sys.GetEffectiveUserId(), Alice, "the caller's own ids did not change");
    }

    private static void RunPlain()
    {
        long pid = Sys.Spawn(SetuidProgram, new[] { "usertests", "setuid-probe" }, 0, 1, 2);
        if (pid > 0) Expect(WaitFor(pid), SetuidProbeNotSetuid, "without the bit it runs as the caller");
    }

    private const int SetuidProbeAnswer = 42, SetuidProbeNotSetuid = 43;

    /// <summary>Run as a setuid program by SetuidPrograms (only when named): answers with an exit status.</summary>
    private static void SetuidProbe()
    {
        Sys.GetUserIds(out int real, out int effective, out int saved);
        Sys.GetGroupIds(out int realGroup, out int effectiveGroup, out int savedGroup);
        if (real == Alice && effective == Alice && saved == Alice) Sys.Exit(SetuidProbeNotSetuid);
        bool ran = real == Alice && effective == ProgramOwner && saved == ProgramOwner && effectiveGroup == ProgramOwner && realGroup == Alice;
        bool dropped = Sys.SetUserId(Alice) == 0 && Sys.GetEffectiveUserId() == Alice;            // drop the owner's rights
        bool back = Sys.SetRealEffectiveUserId(-1, ProgramOwner) == 0 && Sys.GetEffectiveUserId() == ProgramOwner;  // the saved uid
        bool notRoot = Sys.SetUserId(0) == -Errno.EPERM;
        Sys.Exit(ran && dropped && back && notRoot ? SetuidProbeAnswer : 1);
    }

    private static long CopyProgram(string from, string to)
    {
        long input = Sys.Open(from, OpenFlags.ReadOnly);
        if (input < 0) return input;
        long output = Sys.Open(to, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (output < 0) { Sys.Close((int)input); return output; }
        long copied = Files.Copy((int)input, (int)output);
        Sys.Close((int)input);
        Sys.Close((int)output);
        return copied < 0 ? copied : 0;
    }

    // ---- New files: owner, group from a setgid directory, umask ----

    private static void NewFileAttributes()
    {
        MakeDirectoryWith("/tmp/ut-shared", 0x3FF);
        Expect(Sys.ChangeOwner("/tmp/ut-shared", -1, Staff), 0, "the shared directory's group is 50");
        Expect(Sys.ChangeMode("/tmp/ut-shared", 0x3FF | FileMode.SetGroupId), 0, "3777: sticky and setgid (after chown, which clears setgid)");
        AsUser(Alice, &CreateInShared, "files in a setgid directory");
        Expect(Sys.Unlink("/tmp/ut-shared/file"), 0, "clean up");
        Expect(Sys.RemoveDirectory("/tmp/ut-shared/dir"), 0, "clean up");
        Expect(Sys.RemoveDirectory("/tmp/ut-shared"), 0, "clean up");
    }

    private static void CreateInShared()
    {
        Expect(Sys.SetFileCreationMask(0x3F), Credentials022, "umask 077");
        Expect(Files.WriteAllText("/tmp/ut-shared/file", "shared\n"), 0, "create a file");
        Expect(Sys.PathStatus("/tmp/ut-shared/file", out FileStatus status), 0, "stat it");
        Check(status.UserId == Alice && status.GroupId == Staff, "the creator's, in the directory's group (got " + status.UserId + ":" + status.GroupId + ")");
        Expect(status.Mode, 0x180, "0666 less umask 077: 0600");
        Expect(Sys.MakeDirectory("/tmp/ut-shared/dir"), 0, "mkdir");
        Expect(ModeOf("/tmp/ut-shared/dir"), 0x1C0 | FileMode.SetGroupId, "0777 less 077, and setgid like its parent: 2700");
    }

    // ---- The disk keeps owners and modes in its inodes ----

    private static void DiskPermissions()
    {
        if (Sys.PathStatus("/disk", out FileStatus disk) < 0) return;       // no disk attached: nothing to check
        Sys.Unlink("/disk/ut-perm");
        Make("/disk/ut-perm", "on the disk\n", 0x180);
        Expect(ModeOf("/disk/ut-perm"), 0x180, "a disk inode keeps mode 0600");
        AsUser(Alice, &DiskFileRefused, "a 0600 disk file of root's");
        Expect(Sys.ChangeOwner("/disk/ut-perm", Alice, Alice), 0, "give it to the user");
        Expect(OwnerOf("/disk/ut-perm"), Alice, "the inode keeps the owner");
        AsUser(Alice, &DiskFileOwned, "the user's disk file");
        Expect(Sys.Unlink("/disk/ut-perm"), 0, "clean up");
    }

    private static void DiskFileRefused()
    {
        Expect(Sys.Open("/disk/ut-perm", OpenFlags.ReadOnly), -Errno.EACCES, "read root's 0600 disk file");
        Expect(Sys.Open("/disk/ut-perm2", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.EACCES, "create in the disk's 0755 root");
    }

    private static void DiskFileOwned()
    {
        long opened = Sys.Open("/disk/ut-perm", OpenFlags.ReadWrite);
        Check(opened >= 0, "read and write one's own 0600 disk file");
        if (opened >= 0) Sys.Close((int)opened);
        Expect(Sys.ChangeMode("/disk/ut-perm", 0x1A4), 0, "chmod it on the disk");
    }
}
