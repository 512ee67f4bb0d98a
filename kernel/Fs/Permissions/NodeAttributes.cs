namespace Fs
{
    /// <summary>
    /// Who owns a file, directory or symbolic link, and what its permission bits allow (abi/Structures.cs
    /// FileMode): the disk keeps them in the inode (abi/DiskFormat.cs Mode, Uid, Gid), the RAM file
    /// system in the node. Every check in Fs/Permissions/FilePermissions.cs reads one of these.
    /// </summary>
    public struct NodeAttributes
    {
        public int Mode;             // 07777: the permission bits and setuid, setgid, sticky
        public int UserId;           // the owner
        public int GroupId;

        public NodeAttributes(int mode, int userId, int groupId)
        {
            Mode = mode;
            UserId = userId;
            GroupId = groupId;
        }
    }
}
