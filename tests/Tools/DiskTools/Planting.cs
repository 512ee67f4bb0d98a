using Abi;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>Ways to damage an image on purpose, each as the one wrong write a buggy kernel (or a crash) might leave.</summary>
public static class Planting
{
    public static void EditSuperblock(FileSystemImage image, Func<DiskSuperblock, DiskSuperblock> edit)
    {
        var block = new byte[DiskFormat.BlockSize];
        DiskStructs.Write(block, edit(image.Superblock));
        image.WriteBlock(DiskFormat.SuperblockNumber, block);
    }

    public static void EditInode(FileSystemImage image, uint inode, Func<DiskInode, DiskInode> edit) =>
        image.WriteInode(inode, edit(image.ReadInode(inode)));

    public static DiskInode WithAddress(DiskInode inode, int slot, uint block)
    {
        DiskStructs.SetAddress(ref inode, slot, block);
        return inode;
    }

    public static void SetBitmapBit(FileSystemImage image, uint block, bool used)
    {
        uint bitmapBlock = image.Superblock.BitmapStart + block / DiskFormat.BitsPerBlock;
        byte[] bits = image.ReadBlock(bitmapBlock);
        uint bit = block % DiskFormat.BitsPerBlock;
        if (used) bits[bit / 8] |= (byte)(1 << (int)(bit % 8));
        else bits[bit / 8] &= (byte)~(1 << (int)(bit % 8));
        image.WriteBlock(bitmapBlock, bits);
    }

    /// <summary>Points the directory's entry called `name` at another inode.</summary>
    public static void Repoint(FileSystemImage image, uint directory, string name, uint inode)
    {
        DirectoryEntry entry = image.ReadDirectory(directory).Single(e => e.Name == name);
        uint block = DiskStructs.Address(image.ReadInode(directory), 0);
        byte[] bytes = image.ReadBlock(block);
        DiskStructs.WriteDirectoryEntry(bytes.AsSpan(entry.Slot * DiskFormat.DirectoryEntrySize), inode, entry.RawName);
        image.WriteBlock(block, bytes);
    }

    /// <summary>Adds an entry at the end of a directory whose first block has room.</summary>
    public static void AddEntry(FileSystemImage image, uint directory, string name, uint inode)
    {
        DiskInode dir = image.ReadInode(directory);
        uint block = DiskStructs.Address(dir, 0);
        byte[] bytes = image.ReadBlock(block);
        DiskStructs.WriteDirectoryEntry(bytes.AsSpan((int)dir.Size), inode, System.Text.Encoding.UTF8.GetBytes(name));
        image.WriteBlock(block, bytes);
        dir.Size += DiskFormat.DirectoryEntrySize;
        image.WriteInode(directory, dir);
    }
}
