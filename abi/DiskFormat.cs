using System.Runtime.InteropServices;

namespace Abi
{
    /// <summary>
    /// The layout of a TeachOS file system on a disk, shared by the kernel (which mounts it) and the
    /// host tools (tools/DiskTools: mkfs builds an image, fsck checks one), so the two can never
    /// disagree. The design is xv6's, one region after another, every number little-endian:
    ///
    ///     block 0      boot block (unused: GRUB boots from the ISO, not from this disk)
    ///     block 1      superblock (DiskSuperblock): where every region starts and how long it is
    ///     log          LogBlocks blocks: a header block, then the logged copies of changed blocks
    ///     inodes       InodeBlocks blocks of DiskInode, InodesPerBlock to a block; inode 0 is never used
    ///     bitmap       one bit per block of the whole disk: 1 = in use
    ///     data         the rest: file contents, directories, indirect blocks
    ///
    /// A file's blocks are found through its inode: DirectBlocks direct addresses, then one
    /// single-indirect block (PointersPerBlock addresses) and one double-indirect block (a block of
    /// addresses of single-indirect blocks), so the largest file is MaximumFileBlocks blocks
    /// (11 + 256 + 65,536 = 65,803 blocks of 1 KiB, a little over 64 MiB). Address 0 means "no block yet".
    /// </summary>
    public static class DiskFormat
    {
        public const int BlockSize = 1024;
        public const int SectorSize = 512;                       // what the disk reads and writes at a time
        public const int SectorsPerBlock = BlockSize / SectorSize;
        public const uint Magic = 0x53464F54;                    // "TOFS" read as little-endian bytes
        public const uint Version = 1;
        public const uint SuperblockNumber = 1;
        public const uint RootInode = 1;

        public const int InodeSize = 128;
        public const int InodesPerBlock = BlockSize / InodeSize;
        public const int DirectBlocks = 11;
        public const int PointersPerBlock = BlockSize / sizeof(uint);
        public const int AddressCount = DirectBlocks + 2;        // the direct ones, the single- and the double-indirect
        public const int SingleIndirectSlot = DirectBlocks;
        public const int DoubleIndirectSlot = DirectBlocks + 1;
        public const long MaximumFileBlocks = DirectBlocks + PointersPerBlock + (long)PointersPerBlock * PointersPerBlock;
        public const long MaximumFileSize = MaximumFileBlocks * BlockSize;
        public const int BitsPerBlock = BlockSize * 8;

        public const int DirectoryEntrySize = 64;
        public const int EntriesPerBlock = BlockSize / DirectoryEntrySize;
        public const int MaximumNameLength = DirectoryEntrySize - sizeof(uint);  // 60 bytes, NUL-padded, no NUL needed at 60
        public const int MaximumSymbolicLinkLength = BlockSize - 1;               // a link's target fills at most one block

        public const int MaximumLinks = 32000;                   // LinkCount past this is EMLINK
    }

    /// <summary>What an inode is: the Type field of DiskInode.</summary>
    public static class DiskInodeType
    {
        public const ushort Free = 0;
        public const ushort Directory = 1;
        public const ushort File = 2;
        public const ushort SymbolicLink = 3;
        public const ushort Device = 4;
    }

    /// <summary>Block 1 of the disk. mkfs writes it once; the kernel and fsck refuse a disk whose magic, version or regions do not add up.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct DiskSuperblock
    {
        public uint Magic;           // DiskFormat.Magic
        public uint Version;         // DiskFormat.Version
        public uint Size;            // blocks in the whole image
        public uint DataBlocks;      // blocks in the data region
        public uint InodeCount;      // inodes, including the unused inode 0
        public uint LogBlocks;       // blocks in the log, its header included
        public uint LogStart;        // first block of the log (its header)
        public uint InodeStart;      // first block of the inodes
        public uint BitmapStart;     // first block of the free-block bitmap
        public uint DataStart;       // first data block
    }

    /// <summary>
    /// One inode on the disk (DiskFormat.InodeSize bytes; the tail is reserved and zero). Mode, Uid
    /// and Gid are the owner and permission bits (rwxrwxrwx, setuid 0o4000, setgid 0o2000, sticky
    /// 0o1000); mkfs gives files 0o644 and directories 0o755, owned by root (but what mkfs --owner gives to a user).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct DiskInode
    {
        public ushort Type;          // DiskInodeType
        public ushort LinkCount;     // directory entries naming it ("." and ".." count, as in Unix)
        public ushort Mode;
        public ushort Device;        // a device file's device number
        public uint Uid;
        public uint Gid;
        public ulong Size;           // bytes
        public ulong ModifiedTime;   // seconds since boot of the last change (the machine has no calendar clock yet)
        public fixed uint Addresses[DiskFormat.AddressCount];
        public fixed byte Reserved[DiskFormat.InodeSize - 32 - DiskFormat.AddressCount * 4];
    }

    /// <summary>One entry of a directory's contents: Inode 0 marks a free slot. "." and ".." are real entries.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct DiskDirectoryEntry
    {
        public uint Inode;
        public fixed byte Name[DiskFormat.MaximumNameLength];
    }

    /// <summary>
    /// The log's header (the first block of the log): how many blocks the last committed transaction
    /// holds and where each belongs. Count = 0 means no committed transaction waits to be installed.
    /// Writing this block with Count > 0 is the commit point.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct DiskLogHeader
    {
        public const int MaximumBlocks = DiskFormat.BlockSize / sizeof(uint) - 1;
        public uint Count;
        public fixed uint Blocks[MaximumBlocks];
    }
}
