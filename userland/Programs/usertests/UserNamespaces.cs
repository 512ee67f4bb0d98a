using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the user namespace (kernel/Fs/Permissions/UserNamespace.cs; syscalls 106-108): a user
/// who unshares it maps root inside to its own uid outside, sees host files it does not own as 65534's,
/// and, root inside, manages what its namespace maps but cannot write, chmod or remove a host root's file,
/// take an unmapped id, signal a host process, or become host root through a setuid-root program. A
/// privileged parent maps a child's namespace to a range; the map is written once. Each child's exit
/// status is its failed checks (0: none), as in Permissions.cs.
/// </summary>
public static unsafe partial class UserTests
{
    private const string UsernsDirectory = "/ut-userns", UsernsHostFile = "/ut-userns-host", UsernsSetuid = "/tmp/ut-userns-suid";
    private const int Container = 1000;          // the unprivileged uid (and gid) that becomes root inside

    private static void UserNamespaceOfAUser()
    {
        MakeDirectoryWith(UsernsDirectory, FileMode.Program, Container);      // the container's files: owned by 1000
        Make(UsernsHostFile, "host\n", 0x1A4);                                 // a host root's file, 0644
        Expect(CopyProgram("/bin/usertests", UsernsSetuid), 0, "a setuid-root program of the host");
        Expect(Sys.ChangeMode(UsernsSetuid, FileMode.Program | FileMode.SetUserId), 0, "chmod 4755");
        AsUser(Container, &InsideAUserNamespace, "root inside a user namespace");
        Expect(OwnerOf(UsernsDirectory + "/made-inside"), Container, "outside, what the container's root made is 1000's");
        Check(Files.ReadAllText(UsernsHostFile, out long error) == "host\n", "the host file is untouched");
        Sys.Unlink(UsernsDirectory + "/made-inside");
        Sys.Unlink(UsernsSetuid);
        Expect(Sys.Unlink(UsernsHostFile), 0, "clean up");
        Expect(Sys.RemoveDirectory(UsernsDirectory), 0, "clean up the directory");
    }

    // As user 1000 (AsUser): unshare the user namespace, map root to itself, and meet the namespace's edges.
    private static void InsideAUserNamespace()
    {
        Expect(Sys.Unshare(NamespaceFlags.User), 0, "an unprivileged user unshares its user namespace");
        Expect(Sys.GetUserId(), 65534, "before the map, its uid has no name inside: the overflow id");
        Expect(Sys.ReadIdMap(0, IdMapKind.Users, out IdMapEntry entry), 0, "the uid map is not written yet");
        Expect(Sys.WriteIdMap(0, IdMapKind.Users, 0, 0, 1), -Errno.EPERM, "a user may not map host root");
        Expect(Sys.WriteIdMap(0, IdMapKind.Users, 0, Container, 2), -Errno.EPERM, "nor more than its own uid");
        Expect(Sys.WriteIdMap(0, 7, 0, Container, 1), -Errno.EINVAL, "a bad kind");
        Expect(Sys.WriteIdMap(0, IdMapKind.Users, 0, Container, 0), -Errno.EINVAL, "a zero count");
        Expect(Sys.WriteIdMap(0, IdMapKind.Users, 0, Container, 1), 0, "uid map: 0 1000 1");
        Expect(Sys.WriteIdMap(0, IdMapKind.Groups, 0, Container, 1), 0, "gid map: 0 1000 1");
        Expect(Sys.WriteIdMap(0, IdMapKind.Users, 0, Container, 1), -Errno.EPERM, "a map is written once");
        Expect(Sys.ReadIdMap(0, IdMapKind.Users, out entry), 1, "read it back");
        Check(entry.Inside == 0 && entry.Outside == Container && entry.Count == 1, "as written");
        Expect(Sys.GetUserId(), 0, "inside, it is root (getuid)");
        Expect(Sys.GetEffectiveGroupId(), 0, "with group 0 (getegid)");

        Expect(Sys.PathStatus(UsernsHostFile, out FileStatus status), 0, "stat a host root's file");
        Check(status.UserId == 65534 && status.GroupId == 65534, "its owner is unmapped: shown as 65534");
        Expect(OwnerOf(UsernsDirectory), 0, "the directory 1000 owns is root's inside");
        Expect(Sys.Open(UsernsHostFile, OpenFlags.WriteOnly), -Errno.EACCES, "root inside cannot write the host root's file");
        Expect(Sys.ChangeMode(UsernsHostFile, 0x1B6), -Errno.EPERM, "nor chmod it");
        Expect(Sys.ChangeOwner(UsernsHostFile, 0, 0), -Errno.EPERM, "nor take it");
        Expect(Sys.Unlink(UsernsHostFile), -Errno.EACCES, "nor remove it from the host's /");
        long file = Sys.Open(UsernsDirectory + "/made-inside", OpenFlags.WriteOnly | OpenFlags.Create);
        Check(file >= 0, "it creates files in its own directory");
        if (file >= 0) Sys.Close((int)file);
        Expect(OwnerOf(UsernsDirectory + "/made-inside"), 0, "owned by root, inside");
        Expect(Sys.ChangeMode(UsernsDirectory + "/made-inside", 0x180), 0, "and manages them: chmod");
        Expect(Sys.ChangeOwner(UsernsDirectory + "/made-inside", 0, 0), 0, "chown to a mapped id");
        Expect(Sys.ChangeOwner(UsernsDirectory + "/made-inside", 5, -1), -Errno.EINVAL, "chown to an unmapped id: -EINVAL");
        Expect(Sys.SetUserId(5), -Errno.EINVAL, "setuid to an id the namespace does not map");
        Expect(Sys.SetGroups(new ReadOnlySpan<byte>()), -Errno.EPERM, "setgroups is refused in a user namespace");
        Expect(Sys.Kill((int)Sys.GetParentPid()), -Errno.EPERM, "root inside may not signal a host process");
        Expect(Sys.Unshare(NamespaceFlags.User | NamespaceFlags.Cgroup), -Errno.EINVAL, "a reserved flag still refuses");

        // The host's setuid-root program runs, but not as host root: its owner has no name here.
        long pid = Sys.Spawn(UsernsSetuid, new[] { "usertests", "userns-probe" }, 0, 1, 2);
        Check(pid > 0, "spawn the setuid-root program");
        if (pid > 0) Expect(WaitFor(pid), UsernsProbeNotHostRoot, "it ran as the container's root, not the host's");
    }

    private const int UsernsProbeNotHostRoot = 44;

    /// <summary>Run by InsideAUserNamespace (only when named): root inside, and the host file still refused?</summary>
    private static void UserNamespaceProbe()
    {
        bool containerRoot = Sys.GetEffectiveUserId() == 0;
        bool refused = Sys.Open(UsernsHostFile, OpenFlags.WriteOnly) == -Errno.EACCES;
        Sys.Exit(containerRoot && refused ? UsernsProbeNotHostRoot : 1);
    }

    private static void UserNamespaceMappedByParent()
    {
        Sys.Pipe(out PipeDescriptors ready);
        Sys.Pipe(out PipeDescriptors mapped);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            byte one = 1;
            bool ok = Sys.SetGroupIds(2000, 2000, 2000) == 0 && Sys.SetUserIds(2000, 2000, 2000) == 0
                      && Sys.Unshare(NamespaceFlags.User) == 0;
            Sys.Write(ready.Write, new ReadOnlySpan<byte>(&one, 1));
            Sys.Read(mapped.Read, new Span<byte>(&one, 1));                   // until the parent has written the maps
            ok = ok && Sys.GetUserId() == 0 && Sys.SetUserId(5) == 0 && Sys.GetEffectiveUserId() == 5;   // 5 inside is 2005
            Sys.Exit(ok ? 0 : 1);
        }
        byte got;
        Expect(Sys.Read(ready.Read, new Span<byte>(&got, 1)), 1, "the child has its user namespace");
        Expect(Sys.WriteIdMap((int)pid, IdMapKind.Users, 0, 2000, 10), 0, "host root maps the child's 0-9 to 2000-2009");
        Expect(Sys.WriteIdMap((int)pid, IdMapKind.Groups, 0, 2000, 10), 0, "and its groups");
        Expect(Sys.ReadIdMap((int)pid, IdMapKind.Users, out IdMapEntry entry), 1, "the child's map, read by its parent");
        Check(entry.Inside == 0 && entry.Outside == 2000 && entry.Count == 10, "0 2000 10");
        Expect(Sys.WriteIdMap((int)pid, IdMapKind.Users, 0, 3000, 1), -Errno.EPERM, "once only");
        Expect(Sys.WriteIdMap(int.MaxValue, IdMapKind.Users, 0, 3000, 1), -Errno.ESRCH, "no such process");
        Expect(Sys.WriteIdMap(0, IdMapKind.Users, 0, 3000, 1), -Errno.EPERM, "the initial namespace's map is fixed");
        Expect(Sys.ReadIdMap(0, IdMapKind.Users, out entry), 1, "the initial namespace maps every id");
        byte go = 1;
        Sys.Write(mapped.Write, new ReadOnlySpan<byte>(&go, 1));
        Expect(WaitFor(pid), 0, "inside: root, and setuid(5) became kernel uid 2005");
        Sys.Close(ready.Read); Sys.Close(ready.Write); Sys.Close(mapped.Read); Sys.Close(mapped.Write);
    }
}
