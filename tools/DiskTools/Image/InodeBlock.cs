namespace TeachOS.Tools.DiskTools.Image;

/// <summary>What a block is to the inode that names it.</summary>
public enum BlockRole
{
    Data,                 // file contents (or a directory's entries, a link's target)
    SingleIndirect,       // the inode's block of 256 data-block addresses
    DoubleIndirect,       // the inode's block of 256 single-indirect-block addresses
    DoubleIndirectChild,  // one of those single-indirect blocks
}

/// <summary>
/// One block address found in an inode or in one of its indirect blocks: the address, its role, the
/// file block it holds (Data only, else -1) and where the address was found, in words ("direct 3",
/// "single-indirect entry 7", "double-indirect entry 2.5"), for fsck's messages.
/// </summary>
public readonly record struct InodeBlock(uint Address, BlockRole Role, long FileBlock, string Where);
