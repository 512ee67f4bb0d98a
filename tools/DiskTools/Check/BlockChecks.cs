using Abi;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Check;

/// <summary>
/// Every block accounted for exactly once. Each allocated inode's addresses (direct, single-indirect
/// and its entries, double-indirect, its children and theirs) must lie in the data region, within
/// the file's size, and belong to no other owner; then the bitmap must agree both ways: every
/// block in use (the metadata, every owned block) marked, every marked block in use. A block in use
/// but free would be handed out twice; a block marked but unused is lost for good (a leak).
/// </summary>
public static class BlockChecks
{
    /// <summary>Checks the inodes' blocks and the bitmap; returns the number of data blocks in use.</summary>
    public static uint Check(FileSystemImage image, DiskInode[] inodes, List<Finding> findings)
    {
        DiskSuperblock superblock = image.Superblock;
        var owner = new uint[superblock.Size];
        var where = new string?[superblock.Size];
        uint inUse = 0;

        for (uint number = DiskFormat.RootInode; number < inodes.Length; number++)
        {
            DiskInode inode = inodes[number];
            if (inode.Type == DiskInodeType.Free) continue;
            if (inode.Type > DiskInodeType.Device)
            {
                findings.Add(new Finding(FindingKind.Inode, $"inode {number}: bad type {inode.Type} (its blocks are not followed)"));
                continue;
            }
            if (inode.Size > (ulong)DiskFormat.MaximumFileSize)
                findings.Add(new Finding(FindingKind.Inode, $"inode {number}: size {inode.Size} is past the largest file ({DiskFormat.MaximumFileSize} bytes)"));
            if (inode.Type == DiskInodeType.SymbolicLink && inode.Size > DiskFormat.MaximumSymbolicLinkLength)
                findings.Add(new Finding(FindingKind.Inode, $"inode {number}: a symbolic link of {inode.Size} bytes (at most {DiskFormat.MaximumSymbolicLinkLength})"));

            ulong fileBlocks = (inode.Size + DiskFormat.BlockSize - 1) / DiskFormat.BlockSize;
            foreach (InodeBlock block in image.BlocksOf(inode))
            {
                if (!image.IsDataBlock(block.Address))
                {
                    findings.Add(new Finding(FindingKind.BlockOutOfRange,
                        $"inode {number}: block {block.Address} ({block.Where}) is outside the data region {superblock.DataStart}..{superblock.Size - 1}"));
                    continue;
                }
                if (block.Role == BlockRole.Data && (ulong)block.FileBlock >= fileBlocks)
                    findings.Add(new Finding(FindingKind.Inode,
                        $"inode {number}: block {block.Address} ({block.Where}) lies past the end of its {inode.Size} bytes"));
                if (owner[block.Address] != 0)
                {
                    findings.Add(new Finding(FindingKind.BlockOwnedTwice,
                        $"block {block.Address} is used twice: by inode {owner[block.Address]} ({where[block.Address]}) and by inode {number} ({block.Where})"));
                    continue;
                }
                owner[block.Address] = number;
                where[block.Address] = block.Where;
                inUse++;
            }
        }

        CheckBitmap(image, owner, where, findings);
        return inUse;
    }

    private static void CheckBitmap(FileSystemImage image, uint[] owner, string?[] where, List<Finding> findings)
    {
        DiskSuperblock superblock = image.Superblock;
        var bitmap = new byte[DiskLayout.BitmapBlocks(superblock.Size) * DiskFormat.BlockSize];
        for (uint i = 0; i * DiskFormat.BlockSize < bitmap.Length; i++)
            image.ReadBlock(superblock.BitmapStart + i, bitmap.AsSpan((int)(i * DiskFormat.BlockSize)));

        for (uint block = 0; block < superblock.Size; block++)
        {
            bool marked = (bitmap[block / 8] & (1 << (int)(block % 8))) != 0;
            bool metadata = block < superblock.DataStart;
            bool used = metadata || owner[block] != 0;
            if (used && !marked)
                findings.Add(new Finding(FindingKind.BitmapHole, metadata
                    ? $"block {block} ({RegionOf(superblock, block)}) is free in the bitmap"
                    : $"block {block} is used by inode {owner[block]} ({where[block]}) but free in the bitmap"));
            else if (!used && marked)
                findings.Add(new Finding(FindingKind.BitmapLeak, $"block {block} is marked in use in the bitmap but nothing uses it (leaked)"));
        }
    }

    private static string RegionOf(DiskSuperblock superblock, uint block) =>
        block == 0 ? "boot block"
        : block == DiskFormat.SuperblockNumber ? "superblock"
        : block < superblock.InodeStart ? "log"
        : block < superblock.BitmapStart ? "inodes"
        : "bitmap";
}
