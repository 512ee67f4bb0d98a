using Abi;

namespace Fs
{
    /// <summary>
    /// Who a process is, for every permission check: its user and group ids and its supplementary
    /// groups (chapter 9 of the guide, "Who may do what"). Each id comes three times, as in POSIX:
    /// <list type="bullet">
    /// <item><b>real</b>: who started the program; kill and the id changes compare against it;</item>
    /// <item><b>effective</b>: whose rights the checks use (Fs/Permissions/FilePermissions.cs);
    ///   a setuid program's effective uid is the file's owner;</item>
    /// <item><b>saved</b>: a copy of the effective id exec made, so that a setuid program may drop
    ///   its rights (effective := real) and take them back later (effective := saved).</item>
    /// </list>
    /// The rules for changing them are POSIX's (and Linux's): root (effective uid 0) may set any id;
    /// anyone else may only move an id among the values it already holds. Each Set method checks and
    /// then changes, all or nothing, and returns 0 or a negated errno; the caller (a process) holds its
    /// own lock around it so that two threads' changes do not interleave.
    ///
    /// The class lives in the Fs layer because the file system is its first user; processes (Proc)
    /// hold one each and pass it down to every path operation, so the checks see who asks.
    /// </summary>
    public sealed unsafe class Credentials
    {
        public int RealUserId, EffectiveUserId, SavedUserId;
        public int RealGroupId, EffectiveGroupId, SavedGroupId;

        /// <summary>
        /// The user namespace these ids are seen through (Fs/Permissions/UserNamespace.cs); the ids above
        /// are kernel ids, the initial namespace's. Held: copies hold it too, Free lets go.
        /// </summary>
        public UserNamespace UserNamespace = UserNamespace.Initial;

        /// <summary>umask: the permission bits taken away from every file the process creates (022: no write for group and others).</summary>
        public int FileCreationMask = DefaultFileCreationMask;

        public const int DefaultFileCreationMask = FileMode.GroupWrite | FileMode.OtherWrite;

        private GroupList _groups;

        private struct GroupList
        {
            public fixed int Ids[UserIds.MaximumGroups];
            public int Count;
        }

        /// <summary>Root, with no supplementary groups: the kernel's own path walks (mounting /disk), and init.</summary>
        public static Credentials Kernel { get; } = new Credentials();

        /// <summary>
        /// The superuser of its user namespace: effective uid 0 as the namespace sees it. It passes the read
        /// and write checks of the files its namespace maps (<see cref="IsRootOver"/>), may set any id the
        /// namespace maps and signal the processes of its namespace. In the initial namespace: uid 0, over all.
        /// </summary>
        public bool IsRoot => UserNamespace.Maps(EffectiveUserId, group: false) && UserNamespace.FromKernel(EffectiveUserId, group: false) == UserIds.Root;

        /// <summary>Root over this node: root in its namespace, which maps the node's owner and group (a container's root is not over the host's files).</summary>
        public bool IsRootOver(NodeAttributes node) =>
            IsRoot && UserNamespace.Maps(node.UserId, group: false) && UserNamespace.Maps(node.GroupId, group: true);

        public int GroupCount => _groups.Count;

        public int Group(int index) => _groups.Ids[index];

        /// <summary>True if <paramref name="groupId"/> is the effective group or one of the supplementary ones.</summary>
        public bool InGroup(int groupId)
        {
            if (groupId == EffectiveGroupId) return true;
            for (int i = 0; i < _groups.Count; i++)
                if (_groups.Ids[i] == groupId) return true;
            return false;
        }

        /// <summary>A copy, for a child (fork, spawn): children start as who their parent is.</summary>
        public Credentials Copy()
        {
            var copy = new Credentials();
            copy.CopyFrom(this);
            return copy;
        }

        public void CopyFrom(Credentials other)
        {
            RealUserId = other.RealUserId; EffectiveUserId = other.EffectiveUserId; SavedUserId = other.SavedUserId;
            RealGroupId = other.RealGroupId; EffectiveGroupId = other.EffectiveGroupId; SavedGroupId = other.SavedGroupId;
            FileCreationMask = other.FileCreationMask;
            _groups = other._groups;
            UserNamespace newNamespace = other.UserNamespace.Hold();
            UserNamespace.Release();
            UserNamespace = newNamespace;
        }

        /// <summary>Returns the credentials' memory and lets go of their user namespace.</summary>
        public void Free()
        {
            UserNamespace.Release();
            Mem.KernelHeap.Free(this);
        }

        /// <summary>A valid id: 0 to UserIds.MaximumId.</summary>
        public static bool IsValidId(int id) => id >= 0 && id <= UserIds.MaximumId;

        // Valid, or -1 where the call allows "leave it".
        private static bool IsValidOrUnchanged(int id) => id == UserIds.Unchanged || IsValidId(id);

        /// <summary>
        /// exec of a setuid or setgid program (<paramref name="mode"/>, owned by <paramref name="ownerId"/>
        /// and <paramref name="groupId"/>): the effective id becomes the file's; the saved id follows the
        /// effective one whether or not the bit is set, so the program may later drop and take back what it got.
        /// </summary>
        public void Exec(int mode, int ownerId, int groupId)
        {
            // Only ids the user namespace maps: a setuid-root program of the host, run by a container's root,
            // runs as the container's root and no more (Linux does the same).
            if ((mode & FileMode.SetUserId) != 0 && UserNamespace.Maps(ownerId, group: false)) EffectiveUserId = ownerId;
            if ((mode & FileMode.SetGroupId) != 0 && UserNamespace.Maps(groupId, group: true)) EffectiveGroupId = groupId;
            SavedUserId = EffectiveUserId;
            SavedGroupId = EffectiveGroupId;
        }

        /// <summary>setuid: root sets all three for good; others only the effective id, to their real or saved id.</summary>
        public int SetUserId(int id)
        {
            if (!IsValidId(id)) return -Errno.EINVAL;
            if (IsRoot) { RealUserId = EffectiveUserId = SavedUserId = id; return 0; }
            if (id != RealUserId && id != SavedUserId) return -Errno.EPERM;
            EffectiveUserId = id;
            return 0;
        }

        /// <summary>setgid: as setuid; "root" is still the effective uid 0.</summary>
        public int SetGroupId(int id)
        {
            if (!IsValidId(id)) return -Errno.EINVAL;
            if (IsRoot) { RealGroupId = EffectiveGroupId = SavedGroupId = id; return 0; }
            if (id != RealGroupId && id != SavedGroupId) return -Errno.EPERM;
            EffectiveGroupId = id;
            return 0;
        }

        /// <summary>setreuid: see abi/Syscalls.cs. The saved id catches the new effective one when the real id is set or the effective one leaves the real.</summary>
        public int SetRealEffectiveUserId(int real, int effective)
        {
            if (!IsValidOrUnchanged(real) || !IsValidOrUnchanged(effective)) return -Errno.EINVAL;
            if (!IsRoot)
            {
                if (real != UserIds.Unchanged && real != RealUserId && real != EffectiveUserId) return -Errno.EPERM;
                if (effective != UserIds.Unchanged && !HoldsUserId(effective)) return -Errno.EPERM;
            }
            int oldReal = RealUserId;
            if (real != UserIds.Unchanged) RealUserId = real;
            if (effective != UserIds.Unchanged) EffectiveUserId = effective;
            if (real != UserIds.Unchanged || (effective != UserIds.Unchanged && effective != oldReal)) SavedUserId = EffectiveUserId;
            return 0;
        }

        /// <summary>setregid: as setreuid, for the groups.</summary>
        public int SetRealEffectiveGroupId(int real, int effective)
        {
            if (!IsValidOrUnchanged(real) || !IsValidOrUnchanged(effective)) return -Errno.EINVAL;
            if (!IsRoot)
            {
                if (real != UserIds.Unchanged && real != RealGroupId && real != EffectiveGroupId) return -Errno.EPERM;
                if (effective != UserIds.Unchanged && !HoldsGroupId(effective)) return -Errno.EPERM;
            }
            int oldReal = RealGroupId;
            if (real != UserIds.Unchanged) RealGroupId = real;
            if (effective != UserIds.Unchanged) EffectiveGroupId = effective;
            if (real != UserIds.Unchanged || (effective != UserIds.Unchanged && effective != oldReal)) SavedGroupId = EffectiveGroupId;
            return 0;
        }

        /// <summary>setresuid: each id given (not -1) must be one the process holds, unless it is root.</summary>
        public int SetUserIds(int real, int effective, int saved)
        {
            if (!IsValidOrUnchanged(real) || !IsValidOrUnchanged(effective) || !IsValidOrUnchanged(saved)) return -Errno.EINVAL;
            if (!IsRoot && !(HoldsOrUnchanged(real, true) && HoldsOrUnchanged(effective, true) && HoldsOrUnchanged(saved, true))) return -Errno.EPERM;
            if (real != UserIds.Unchanged) RealUserId = real;
            if (effective != UserIds.Unchanged) EffectiveUserId = effective;
            if (saved != UserIds.Unchanged) SavedUserId = saved;
            return 0;
        }

        /// <summary>setresgid: as setresuid, for the groups.</summary>
        public int SetGroupIds(int real, int effective, int saved)
        {
            if (!IsValidOrUnchanged(real) || !IsValidOrUnchanged(effective) || !IsValidOrUnchanged(saved)) return -Errno.EINVAL;
            if (!IsRoot && !(HoldsOrUnchanged(real, false) && HoldsOrUnchanged(effective, false) && HoldsOrUnchanged(saved, false))) return -Errno.EPERM;
            if (real != UserIds.Unchanged) RealGroupId = real;
            if (effective != UserIds.Unchanged) EffectiveGroupId = effective;
            if (saved != UserIds.Unchanged) SavedGroupId = saved;
            return 0;
        }

        /// <summary>setgroups: root only; at most UserIds.MaximumGroups valid ids.</summary>
        public int SetGroups(System.ReadOnlySpan<int> groups)
        {
            if (!IsRoot) return -Errno.EPERM;
            if (groups.Length > UserIds.MaximumGroups) return -Errno.EINVAL;
            for (int i = 0; i < groups.Length; i++)
                if (!IsValidId(groups[i])) return -Errno.EINVAL;
            for (int i = 0; i < groups.Length; i++) _groups.Ids[i] = groups[i];
            _groups.Count = groups.Length;
            return 0;
        }

        private bool HoldsUserId(int id) => id == RealUserId || id == EffectiveUserId || id == SavedUserId;

        private bool HoldsGroupId(int id) => id == RealGroupId || id == EffectiveGroupId || id == SavedGroupId;

        private bool HoldsOrUnchanged(int id, bool user) =>
            id == UserIds.Unchanged || (user ? HoldsUserId(id) : HoldsGroupId(id));

        /// <summary>
        /// kill's rule (POSIX): root may signal anyone; others only a process whose real or saved uid
        /// is the sender's real or effective uid. (The saved uid counts so that a user may still end a
        /// setuid program they started, which runs with another effective uid.)
        /// </summary>
        public bool MaySignal(Credentials target) =>
            IsRoot && target.UserNamespace.IsWithin(UserNamespace)            // root of a namespace: only inside it
            || RealUserId == target.RealUserId || RealUserId == target.SavedUserId
            || EffectiveUserId == target.RealUserId || EffectiveUserId == target.SavedUserId;
    }
}
