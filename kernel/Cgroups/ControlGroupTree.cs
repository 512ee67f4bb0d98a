using System;
using Abi;
using Arch.X64;
using Mem;
using Proc;
using Sched;

namespace Cgroups
{
    /// <summary>
    /// The tree of control groups and who is in which: mkdir and rmdir in /sys/fs/cgroup
    /// (Cgroups/GroupDirectory.cs) come here, and so does a write to cgroup.procs (<see cref="Move"/>).
    /// The root exists from boot and holds init; every process is born in its parent's group
    /// (Proc/ProcessFork.cs, Proc/Processes.cs Spawn) and stays there until moved.
    ///
    /// Lock: Scheduler.ThreadStateLock, the lock of the process list: a process's group, the tasks it
    /// is counted for and the tree change together, and rmdir must see that no process is inside
    /// while no fork can add one. The frame counts are read under MemoryCharge.Lock inside it.
    /// Limits: at most <see cref="MaximumGroups"/> groups and <see cref="MaximumDepth"/> levels, so
    /// that a loop of mkdir cannot eat the kernel's heap (Linux has cgroup.max.descendants and
    /// cgroup.max.depth for the same reason; TeachOS fixes them).
    /// </summary>
    public static unsafe class ControlGroupTree
    {
        public const int MaximumGroups = 128;
        public const int MaximumDepth = 16;

        /// <summary>The root group, /sys/fs/cgroup itself.</summary>
        public static ControlGroup Root { get; private set; }

        private static int s_count;           // groups besides the root
        private static ulong s_nextId = 1;

        /// <summary>At boot, before init is spawned: the root group, root's.</summary>
        /// <summary>
        /// At boot, before init is spawned: the root group, root's. Its cgroup.subtree_control starts with
        /// every controller enabled, as on a Linux host whose init enables them at the top.
        /// </summary>
        public static void Create()
        {
            Root = new ControlGroup("", null, NextId(), UserIds.Root, UserIds.Root);
            Root.SubtreeControl = Controllers.All;
        }

        private static int NextId()
        {
            fixed (ulong* next = &s_nextId) return (int)Atomic.Add(next, 1);
        }

        /// <summary>The child group named <paramref name="name"/>, held, or null.</summary>
        public static ControlGroup HoldChild(ControlGroup parent, ReadOnlySpan<char> name)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            ControlGroup child = FindLocked(parent, name, out _);
            child?.Hold();
            Scheduler.ThreadStateLock.Release(flags);
            return child;
        }

        public static bool HasChild(ControlGroup parent, ReadOnlySpan<char> name)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            bool found = FindLocked(parent, name, out _) != null;
            Scheduler.ThreadStateLock.Release(flags);
            return found;
        }

        /// <summary>
        /// mkdir: a new child group of <paramref name="parent"/>, owned by <paramref name="ownerId"/>, with
        /// no limits, returned held. -EEXIST if the name is taken, -ENOENT in a removed group, -ENOSPC
        /// past <see cref="MaximumGroups"/> or <see cref="MaximumDepth"/>, -ENAMETOOLONG for a long name.
        /// </summary>
        public static int MakeChild(ControlGroup parent, ReadOnlySpan<char> name, int ownerId, int ownerGroupId, out ControlGroup made)
        {
            made = null;
            if (name.Length > DirectoryEntry.MaximumName) return -Errno.ENAMETOOLONG;
            // Made before the lock (allocation is not for a spin lock's hold), thrown away if refused.
            var group = new ControlGroup(name, parent, NextId(), ownerId, ownerGroupId);
            bool flags = Scheduler.ThreadStateLock.Acquire();
            int error = 0;
            if (parent.Removed) error = -Errno.ENOENT;
            else if (FindLocked(parent, name, out _) != null) error = -Errno.EEXIST;
            else if (s_count >= MaximumGroups || group.Depth > MaximumDepth) error = -Errno.ENOSPC;
            else
            {
                if (parent.ChildCount == parent.Children.Length) Grow(parent);
                parent.Children[parent.ChildCount++] = group;
                group.EffectiveCpus = parent.EffectiveCpus;     // cpuset.cpus empty: its parent's CPUs
                s_count++;
                parent.Hold();                  // the child's reference on its parent (its "..")
                group.Hold();                   // the caller's
            }
            Scheduler.ThreadStateLock.Release(flags);
            if (error < 0)
            {
                FreeNodes(group);
                return error;
            }
            made = group;
            return 0;
        }

        /// <summary>
        /// rmdir: removes an empty child group. -EBUSY while it has child groups, processes (zombies
        /// included: their tasks still count) or charged frames, as Linux; -ENOENT if there is none.
        /// Its files, if open, answer -ENODEV from now on; its memory goes at the last Put.
        /// </summary>
        public static int Remove(ControlGroup parent, ReadOnlySpan<char> name)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            ControlGroup child = FindLocked(parent, name, out int index);
            int error = child == null ? -Errno.ENOENT : 0;
            if (error == 0 && (child.ChildCount > 0 || child.Tasks > 0 || HasMembersLocked(child) || HasFrames(child))) error = -Errno.EBUSY;
            if (error == 0)
            {
                parent.Children[index] = parent.Children[--parent.ChildCount];
                parent.Children[parent.ChildCount] = null;
                child.Removed = true;
                s_count--;
            }
            Scheduler.ThreadStateLock.Release(flags);
            if (error == 0) child.Put();        // the tree's reference
            return error;
        }

        /// <summary>
        /// A write of <paramref name="pid"/> (in the writer's PID namespace; 0: the writer itself) to
        /// <paramref name="to"/>'s cgroup.procs: the whole process moves, with its threads' tasks and
        /// its frames, even past the new group's limits (Linux lets a move pass pids.max too; its frames
        /// stay charged where they were, TeachOS's follow the process, which is simpler to see).
        /// Who may: the VFS already checked that the writer may write this group's cgroup.procs (its
        /// owner or root); on top of that the writer must be allowed to kill the process (root, or the
        /// same user: Fs/Permissions/Credentials.cs MaySignal). Linux asks instead for write access to the
        /// cgroup.procs of the groups' common ancestor; TeachOS's rule is that one, simplified.
        /// 0, -ESRCH (no such process, or a zombie), -EPERM, -ENODEV (the group was removed), -EBUSY (the
        /// group gives controllers to its children: <see cref="ChangeSubtreeControl"/>).
        /// </summary>
        public static int Move(Process writer, int pid, ControlGroup to)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Process target = pid == 0 ? writer : Processes.Find(pid, writer.PidNamespace);
            int error = 0;
            if (target == null || target.IsZombie) error = -Errno.ESRCH;
            else if (to.Removed) error = -Errno.ENODEV;
            else if (!writer.Credentials.MaySignal(target.Credentials)) error = -Errno.EPERM;
            // The no-internal-processes rule: a group that gives controllers to its children holds no
            // processes of its own (the root excepted), as on Linux.
            else if (!to.IsRoot && to.SubtreeControl != 0 && target.Group != to) error = -Errno.EBUSY;
            else if (target.Group != to)
            {
                target.Group.ChargeTasksLocked(-target.Threads);
                to.ChargeTasksLocked(target.Threads);
                target.Group = to;
                CpuSets.HoldToLocked(target);  // its threads' affinities within the group's CPUs (cpuset.cpus)
                // Its frames follow (Mem/AddressSpace.cs). An exec under way makes its new space for the
                // old group; it moves that one's charge at its switch (Proc/ProcessExec.cs).
                target.AddressSpace?.MoveCharge(to);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return error;
        }

        /// <summary>
        /// A write to cgroup.subtree_control: enables <paramref name="enable"/> and disables
        /// <paramref name="disable"/> for the group's children (Cgroups/Controllers.cs), all or nothing,
        /// with Linux's rules: -ENOENT for a controller the group was not given itself (its
        /// cgroup.controllers, the parent's subtree_control); -EBUSY for enabling in a group, not the
        /// root, that has processes (the no-internal-processes rule: a controller that divides between
        /// children, such as cpu.weight, could not weigh the parent's own processes against them), and
        /// for disabling one that a child still gives on to its own children.
        /// TeachOS shows every controller's files in every group whatever this says (Linux shows only
        /// those given): it decides where processes may be, and what cgroup.controllers lists.
        /// </summary>
        public static int ChangeSubtreeControl(ControlGroup group, int enable, int disable)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            int available = group.IsRoot ? Controllers.All : group.Parent.SubtreeControl;
            int error = 0;
            if (group.Removed) error = -Errno.ENODEV;
            else if ((enable & ~available) != 0) error = -Errno.ENOENT;
            else if ((enable & ~group.SubtreeControl) != 0 && !group.IsRoot && HasMembersLocked(group)) error = -Errno.EBUSY;
            else
            {
                for (int i = 0; i < group.ChildCount; i++)
                    if ((group.Children[i].SubtreeControl & disable & group.SubtreeControl) != 0) error = -Errno.EBUSY;
            }
            if (error == 0) group.SubtreeControl = (group.SubtreeControl | enable) & ~disable;
            Scheduler.ThreadStateLock.Release(flags);
            return error;
        }

        /// <summary>The last reference to a removed group is gone: its nodes, name and arrays are freed, and its parent put.</summary>
        internal static void Free(ControlGroup group)
        {
            ControlGroup parent = group.Parent;
            FreeNodes(group);
            parent?.Put();
        }

        // Everything a group allocated, itself last (a refused mkdir's group, or a removed one).
        private static void FreeNodes(ControlGroup group)
        {
            for (int i = 0; i < group.Files.Length; i++) KernelHeap.Free(group.Files[i]);
            KernelHeap.Free(group.Files);
            KernelHeap.Free(group.Directory);
            KernelHeap.Free(group.Children);
            KernelHeap.Free(group.Name);
            KernelHeap.Free(group.Bandwidth);
            KernelHeap.Free(group.Share);
            if (group.Io != null) Drivers.IoBandwidth.Free(group.Io);
            KernelHeap.Free(group);
        }

        private static ControlGroup FindLocked(ControlGroup parent, ReadOnlySpan<char> name, out int index)
        {
            for (index = 0; index < parent.ChildCount; index++)
                if (name.SequenceEqual(parent.Children[index].Name)) return parent.Children[index];
            return null;
        }

        // A process in the list (zombies too) still names the group: it cannot go yet.
        private static bool HasMembersLocked(ControlGroup group)
        {
            for (int i = 0; i < Processes.Count; i++)
                if (Processes.At(i).Group == group) return true;
            return false;
        }

        private static bool HasFrames(ControlGroup group)
        {
            bool flags = MemoryCharge.Lock.Acquire();
            bool any = group.Frames != 0;
            MemoryCharge.Lock.Release(flags);
            return any;
        }

        private static void Grow(ControlGroup parent)
        {
            var larger = new ControlGroup[parent.Children.Length * 2];
            for (int i = 0; i < parent.ChildCount; i++) larger[i] = parent.Children[i];
            KernelHeap.Free(parent.Children);
            parent.Children = larger;
        }
    }
}
