using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' case for cgroup.controllers and cgroup.subtree_control (kernel/Cgroups/Controllers.cs,
/// ControlGroupTree.ChangeSubtreeControl): what each group is given and gives on, Linux's refusals, and
/// the no-internal-processes rule both ways (a group with a process cannot give controllers on; a
/// group that gives them on cannot take a process in).
/// </summary>
public static unsafe partial class UserTests
{
    private static void CgroupSubtreeControl()
    {
        ExpectText(Read("cgroup.controllers"), "cpuset cpu memory pids\n", "the root has every controller");
        ExpectText(Read("cgroup.subtree_control"), "cpuset cpu memory pids\n", "and gives them all to its children");
        Sys.MakeDirectory(CgroupRoot + "ut-tree");
        Sys.MakeDirectory(CgroupRoot + "ut-tree/leaf");
        Sys.MakeDirectory(CgroupRoot + "ut-tree/other");
        ExpectText(Read("ut-tree/cgroup.controllers"), "cpuset cpu memory pids\n", "a child of the root is given them");
        ExpectText(Read("ut-tree/cgroup.subtree_control"), "\n", "and gives nothing on at first");
        ExpectText(Read("ut-tree/leaf/cgroup.controllers"), "\n", "so its own child is given nothing");
        Expect(WriteCgroup("ut-tree/leaf/cgroup.subtree_control", "+pids"), -Errno.ENOENT, "a controller it was not given: ENOENT");
        string[] refused = { "pids", "+bogus", "+cpu -cpu", "+", "  \n", "+pids,+cpu", "*pids" };
        for (int i = 0; i < refused.Length; i++)
            Expect(WriteCgroup("ut-tree/cgroup.subtree_control", refused[i]), -Errno.EINVAL, "subtree_control \"" + refused[i] + "\": EINVAL");
        Expect(WriteCgroup("ut-tree/cgroup.controllers", "+pids"), -Errno.EACCES, "cgroup.controllers is only read");

        Sys.Pipe(out PipeDescriptors hold);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Sys.Close(hold.Write);
            byte* nothing = stackalloc byte[1];
            Sys.Read(hold.Read, new Span<byte>(nothing, 1));
            Sys.Exit(0);
        }
        Sys.Close(hold.Read);
        Expect(WriteCgroup("ut-tree/cgroup.procs", pid.ToString()), pid.ToString().Length, "a process in ut-tree");
        Expect(WriteCgroup("ut-tree/cgroup.subtree_control", "+cpu +memory +pids"), -Errno.EBUSY,
            "no internal processes: a group with a process of its own cannot give controllers on");
        Expect(WriteCgroup("ut-tree/leaf/cgroup.procs", pid.ToString()), pid.ToString().Length, "moved down to the leaf");
        Expect(WriteCgroup("ut-tree/cgroup.subtree_control", "+cpu +memory +pids\n"), 19, "now ut-tree may");
        ExpectText(Read("ut-tree/cgroup.subtree_control"), "cpu memory pids\n", "read back");
        ExpectText(Read("ut-tree/leaf/cgroup.controllers"), "cpu memory pids\n", "the leaf is given them");
        Expect(WriteCgroup("ut-tree/cgroup.procs", pid.ToString()), -Errno.EBUSY, "and no process may move back into ut-tree");
        Expect(WriteCgroup("ut-tree/leaf/cgroup.subtree_control", "+pids"), -Errno.EBUSY, "the leaf has the process: it cannot give pids on");
        Expect(WriteCgroup("ut-tree/other/cgroup.subtree_control", "+pids"), 5, "an empty sibling can");
        Expect(WriteCgroup("ut-tree/cgroup.subtree_control", "-pids"), -Errno.EBUSY, "pids cannot be taken from ut-tree while a child gives it on");
        Expect(WriteCgroup("ut-tree/other/cgroup.subtree_control", "-pids"), 5, "once the child stops");
        Expect(WriteCgroup("ut-tree/cgroup.subtree_control", "-cpu -memory -pids"), 18, "ut-tree gives nothing on again");
        Expect(WriteCgroup("ut-tree/cgroup.procs", pid.ToString()), pid.ToString().Length, "and may hold the process again");

        Sys.Close(hold.Write);
        WaitFor(pid);
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-tree/leaf"), 0, "rmdir leaf");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-tree/other"), 0, "rmdir other");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-tree"), 0, "rmdir ut-tree");
    }
}
