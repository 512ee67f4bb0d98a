using System.Text;
using Abi;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tests.Integration.Harness;

/// <summary>
/// A copy of build/disk.img damaged on purpose, field by field, through DiskTools' image library
/// (tools/DiskTools/Image/FileSystemImage.cs): a hostile disk for the kernel to meet
/// (HostileImageTests). Each method names what it breaks; the image is written when disposed.
/// </summary>
public sealed class DamagedImage : IDisposable
{
    private readonly FileSystemImage _image;

    public DamagedImage()
    {
        Path = DiskImages.CopyOfBuiltImage();
        _image = FileSystemImage.Open(Path, writable: true);
    }

    /// <summary>The image file, to boot with once this is disposed.</summary>
    public string Path { get; }

    public DiskSuperblock Superblock => _image.Superblock;

    public void Dispose() => _image.Dispose();

    /// <summary>Rewrites the superblock (block 1) with <paramref name="change"/> applied.</summary>
    public void ChangeSuperblock(Func<DiskSuperblock, DiskSuperblock> change)
    {
        byte[] block = _image.ReadBlock(DiskFormat.SuperblockNumber);
        DiskStructs.Write(block, change(_image.Superblock));
        _image.WriteBlock(DiskFormat.SuperblockNumber, block);
    }

    /// <summary>Writes a committed log header (Count = <paramref name="blocks"/>.Length) naming <paramref name="blocks"/> as the logged blocks' homes.</summary>
    public void WriteLogHeader(params uint[] blocks)
    {
        var header = new DiskLogHeader { Count = (uint)blocks.Length };
        for (int i = 0; i < blocks.Length; i++) DiskStructs.SetLoggedBlock(ref header, i, blocks[i]);
        byte[] block = new byte[DiskFormat.BlockSize];
        DiskStructs.Write(block, header);
        _image.WriteBlock(_image.Superblock.LogStart, block);
    }

    /// <summary>The inode number of <paramref name="path"/> in the undamaged tree.</summary>
    public uint InodeOf(string path) =>
        _image.Lookup(path) ?? throw new InvalidOperationException($"{path} is not in build/disk.img (userland/Disk)");

    /// <summary>Gives the inode of <paramref name="path"/> the type <paramref name="type"/> (DiskInodeType, or any number).</summary>
    public uint SetType(string path, ushort type)
    {
        uint number = InodeOf(path);
        DiskInode inode = _image.ReadInode(number);
        inode.Type = type;
        _image.WriteInode(number, inode);
        return number;
    }

    /// <summary>Points address slot <paramref name="slot"/> (0-10 direct, 11 single, 12 double indirect) of <paramref name="path"/> at <paramref name="block"/>.</summary>
    public void SetAddress(string path, int slot, uint block)
    {
        uint number = InodeOf(path);
        DiskInode inode = _image.ReadInode(number);
        DiskStructs.SetAddress(ref inode, slot, block);
        _image.WriteInode(number, inode);
    }

    /// <summary>An inode that is free (type 0), the first after those in use.</summary>
    public uint AFreeInode()
    {
        for (uint number = DiskFormat.RootInode + 1; number < _image.Superblock.InodeCount; number++)
            if (_image.ReadInode(number).Type == DiskInodeType.Free) return number;
        throw new InvalidOperationException("no free inode");
    }

    /// <summary>
    /// Adds the entry <paramref name="name"/> → inode <paramref name="inode"/> at the end of the
    /// directory <paramref name="directoryPath"/> (in its first block, which must have room), without
    /// touching any link count: the inode need not exist, nor know it is named.
    /// </summary>
    public void AddEntry(string directoryPath, string name, uint inode)
    {
        uint number = InodeOf(directoryPath);
        DiskInode directory = _image.ReadInode(number);
        if (directory.Size + DiskFormat.DirectoryEntrySize > DiskFormat.BlockSize)
            throw new InvalidOperationException($"{directoryPath}'s first block is full");
        uint blockNumber = DiskStructs.Address(directory, 0);
        byte[] block = _image.ReadBlock(blockNumber);
        DiskStructs.WriteDirectoryEntry(block.AsSpan((int)directory.Size), inode, Encoding.ASCII.GetBytes(name));
        _image.WriteBlock(blockNumber, block);
        directory.Size += DiskFormat.DirectoryEntrySize;
        _image.WriteInode(number, directory);
    }

    /// <summary>Makes the existing entry <paramref name="name"/> of <paramref name="directoryPath"/> name <paramref name="inode"/> instead.</summary>
    public void Repoint(string directoryPath, string name, uint inode)
    {
        uint number = InodeOf(directoryPath);
        DirectoryEntry entry = _image.ReadDirectory(number).Single(e => e.Name == name);
        DiskInode directory = _image.ReadInode(number);
        uint blockNumber = DiskStructs.Address(directory, entry.Slot / DiskFormat.EntriesPerBlock);
        byte[] block = _image.ReadBlock(blockNumber);
        DiskStructs.WriteDirectoryEntry(block.AsSpan(entry.Slot % DiskFormat.EntriesPerBlock * DiskFormat.DirectoryEntrySize), inode, entry.RawName);
        _image.WriteBlock(blockNumber, block);
    }
}
