using Abi;

namespace Fs
{
    /// <summary>
    /// The permission checks, each one rule of Unix's, in one place (chapter 9 of the guide lists
    /// where each is made). They compare a process's Credentials with a node's NodeAttributes and
    /// answer 0 or a negated errno: -EACCES when the mode bits refuse, -EPERM when only an owner (or
    /// root) may do the thing at all.
    ///
    /// The mode is read as three classes, and exactly one applies: the owner's bits if the caller's
    /// effective uid owns the node; else the group's bits if the node's group is one of the caller's;
    /// else the others' bits. (So an owner denied by the owner bits is denied, even if "others" may:
    /// 0077 locks the owner out.) Root passes every read and write check, and an execute check when
    /// some execute bit is set or the node is a directory: root does not run a file nobody may run.
    /// "Root" here is Credentials.IsRootOver: in a user namespace, only over nodes whose owner and group
    /// the namespace maps (Fs/Permissions/UserNamespace.cs).
    /// </summary>
    public static class FilePermissions
    {
        /// <summary>What a check asks for, as the mode's own bits: r, w, x (combine with |).</summary>
        public const int Read = 4, Write = 2, Execute = 1;

        /// <summary>0 if <paramref name="who"/> may do <paramref name="want"/> (Read | Write | Execute) to the node, else -EACCES.</summary>
        public static int Check(Credentials who, NodeAttributes node, bool isDirectory, int want)
        {
            if (who.IsRootOver(node))
            {
                bool executable = isDirectory || (node.Mode & FileMode.AnyExecute) != 0;
                return (want & Execute) == 0 || executable ? 0 : -Errno.EACCES;
            }
            int bits = ClassBits(who, node);
            return (want & ~bits & 7) == 0 ? 0 : -Errno.EACCES;
        }

        // The three bits of the one class that applies to who.
        private static int ClassBits(Credentials who, NodeAttributes node)
        {
            if (who.EffectiveUserId == node.UserId) return (node.Mode >> 6) & 7;
            if (who.InGroup(node.GroupId)) return (node.Mode >> 3) & 7;
            return node.Mode & 7;
        }

        /// <summary>Search permission: may a path walk pass through this directory (and look a name up in it)?</summary>
        public static int CheckSearch(Credentials who, NodeAttributes directory) => Check(who, directory, isDirectory: true, Execute);

        /// <summary>
        /// Adding or removing a name (create, mkdir, symlink, link, unlink, rmdir, rename): write and
        /// search permission on the directory that holds the name.
        /// </summary>
        public static int CheckChangeEntries(Credentials who, NodeAttributes directory) => Check(who, directory, isDirectory: true, Write | Execute);

        /// <summary>
        /// The sticky bit (01000) on a directory: a name in it may be removed or renamed (or replaced by
        /// a rename) only by the file's owner, the directory's owner or root, though everyone may write
        /// the directory. This is what makes a shared /tmp (1777) safe: without it, anyone could delete or
        /// swap another user's files there. -EPERM otherwise (as Linux).
        /// </summary>
        public static int CheckSticky(Credentials who, NodeAttributes directory, NodeAttributes child)
        {
            if ((directory.Mode & FileMode.Sticky) == 0 || who.IsRootOver(child)) return 0;
            return who.EffectiveUserId == child.UserId || who.EffectiveUserId == directory.UserId ? 0 : -Errno.EPERM;
        }

        /// <summary>
        /// What a new node gets: the caller's effective uid as owner; its effective gid as group, or the
        /// directory's group when the directory is setgid (a shared project directory keeps its files in
        /// its group, and new subdirectories stay setgid); the mode asked for less the caller's umask.
        /// Files ask for 0666 and directories for 0777 (open and mkdir take no mode in TeachOS); symbolic
        /// links are 0777 always, since no check reads a link's own bits.
        /// </summary>
        public static NodeAttributes NewNode(Credentials who, NodeAttributes directory, FileKind kind)
        {
            bool inheritGroup = (directory.Mode & FileMode.SetGroupId) != 0;
            int group = inheritGroup ? directory.GroupId : who.EffectiveGroupId;
            int mode = kind == FileKind.SymbolicLink ? FileMode.Permissions
                : (kind == FileKind.Directory ? FileMode.Permissions : DefaultFileMode) & ~who.FileCreationMask;
            if (kind == FileKind.Directory && inheritGroup) mode |= FileMode.SetGroupId;
            return new NodeAttributes(mode, who.EffectiveUserId, group);
        }

        /// <summary>rw-rw-rw-: what a new file asks for before the umask.</summary>
        public const int DefaultFileMode = 0x1B6;

        /// <summary>
        /// chmod: only the owner or root (-EPERM). The new attributes keep owner and group; a caller who
        /// is neither root nor in the file's group cannot set setgid (the bit is dropped, as Linux does:
        /// otherwise anyone could make a program that runs with a group they do not have).
        /// </summary>
        public static int ChangeMode(Credentials who, NodeAttributes node, int mode, out NodeAttributes changed)
        {
            changed = node;
            if (!who.IsRootOver(node) && who.EffectiveUserId != node.UserId) return -Errno.EPERM;
            mode &= FileMode.All;
            if (!who.IsRootOver(node) && !who.InGroup(node.GroupId)) mode &= ~FileMode.SetGroupId;
            changed.Mode = mode;
            return 0;
        }

        /// <summary>
        /// chown (-1: unchanged): only root may give a file away (else anyone could make a setuid program
        /// of someone else's, or escape a disk quota); the owner may change the group to one of its own
        /// groups. -EINVAL for a bad id, -EPERM otherwise. A change clears setuid and setgid, so that a
        /// program does not keep running as its old owner's.
        /// </summary>
        public static int ChangeOwner(Credentials who, NodeAttributes node, int userId, int groupId, out NodeAttributes changed)
        {
            changed = node;
            if (userId != UserIds.Unchanged && !Credentials.IsValidId(userId)) return -Errno.EINVAL;
            if (groupId != UserIds.Unchanged && !Credentials.IsValidId(groupId)) return -Errno.EINVAL;
            int newOwner = userId == UserIds.Unchanged ? node.UserId : userId;
            int newGroup = groupId == UserIds.Unchanged ? node.GroupId : groupId;
            if (!who.IsRootOver(node))
            {
                if (newOwner != node.UserId || who.EffectiveUserId != node.UserId) return -Errno.EPERM;
                if (newGroup != node.GroupId && !who.InGroup(newGroup)) return -Errno.EPERM;
            }
            changed.UserId = newOwner;
            changed.GroupId = newGroup;
            changed.Mode = node.Mode & ~(FileMode.SetUserId | FileMode.SetGroupId);
            return 0;
        }

        /// <summary>What open's flags ask for: read, write or both; truncating is writing.</summary>
        public static int ForOpen(int flags)
        {
            int access = flags & 3;
            int want = access == OpenFlags.ReadOnly ? Read : access == OpenFlags.WriteOnly ? Write : Read | Write;
            if ((flags & OpenFlags.Truncate) != 0) want |= Write;
            return want;
        }
    }
}
