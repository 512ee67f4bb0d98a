using Abi;
using TeachOS.Tools.DiskTools.Format;

namespace TeachOS.Tools.DiskTools.Mkfs;

/// <summary>mkfs's refusal: the reason, for the user (an image too small, a name too long, ...).</summary>
public sealed class MkfsException(string message) : Exception(message);

/// <summary>What mkfs built: the superblock it wrote and how much of the disk the files use.</summary>
public sealed record MkfsResult(DiskSuperblock Superblock, uint InodesUsed, uint DataBlocksUsed);

/// <summary>
/// Writes a fresh file system holding a host directory tree. Every block is allocated in order from
/// the start of the data region, a file's indirect blocks just before the data blocks they address
/// (the order the kernel's block map allocates them in). The image is written sparse: its length is
/// set, then only blocks that are not all zeros are written, so a 128 MiB image with a few files
/// costs the host a few blocks. Inodes and the bitmap are kept in memory and written last.
/// </summary>
public sealed class ImageBuilder
{
    // C# has no octal literals: the permission bits as binary, three bits (rwx) a group.
    private const ushort ExecutableMode = 0b111_101_101;   // 0o755 rwxr-xr-x: directories, executable files
    private const ushort PlainFileMode = 0b110_100_100;      // 0o644 rw-r--r--: other files
    private const ushort LinkMode = 0b111_111_111;         // 0o777 rwxrwxrwx: a link's own bits mean nothing, as in Unix

    private readonly Stream output;
    private readonly DiskSuperblock superblock;
    private readonly DiskInode[] inodes;
    private readonly IReadOnlyDictionary<HostNode, OwnerOption> owners;
    private uint nextInode = DiskFormat.RootInode;
    private uint nextBlock;

    private ImageBuilder(Stream output, DiskSuperblock superblock, IReadOnlyDictionary<HostNode, OwnerOption> owners)
    {
        this.output = output;
        this.superblock = superblock;
        this.owners = owners;
        inodes = new DiskInode[superblock.InodeCount];
        nextBlock = superblock.DataStart;
    }

    /// <summary>
    /// Builds the image at `path` (replacing any file there). Every inode is root's (0:0) but those in
    /// `owners` (OwnerOption.Resolve). Throws MkfsException when the tree does not fit.
    /// </summary>
    public static MkfsResult Build(string path, uint sizeInMiB, HostDirectory root, uint? inodeCount = null,
                                   IReadOnlyDictionary<HostNode, OwnerOption>? owners = null)
    {
        const uint blocksPerMiB = 1024 * 1024 / DiskFormat.BlockSize;
        if (sizeInMiB == 0 || sizeInMiB > uint.MaxValue / blocksPerMiB)
            throw new MkfsException($"a size of {sizeInMiB} MiB is not one the format can address (1 to {uint.MaxValue / blocksPerMiB} MiB)");
        uint size = sizeInMiB * blocksPerMiB;
        uint inodesWanted = inodeCount ?? DiskLayout.DefaultInodeCount(size);
        DiskSuperblock superblock = DiskLayout.Plan(size, inodesWanted);
        CheckItFits(superblock, root, inodeCount);

        using var output = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        output.SetLength((long)size * DiskFormat.BlockSize);
        var builder = new ImageBuilder(output, superblock, owners ?? new Dictionary<HostNode, OwnerOption>());
        builder.AddRoot(root);
        builder.WriteMetadata();
        return new MkfsResult(superblock, builder.nextInode - 1, builder.nextBlock - superblock.DataStart);
    }

    /// <summary>Refuses an image too small for the tree, saying how large one must be.</summary>
    private static void CheckItFits(DiskSuperblock superblock, HostDirectory root, uint? inodeCount)
    {
        long blocksNeeded = HostTree.BlocksNeeded(root);
        long inodesNeeded = HostTree.InodesNeeded(root);
        if (inodeCount is uint given && given < inodesNeeded)
            throw new MkfsException($"{given} inodes are too few: the directory has {inodesNeeded - 1} files, directories and links, " +
                                    $"and inode 0 is never used (--inodes {inodesNeeded} at least)");
        if (superblock.DataBlocks >= blocksNeeded && superblock.InodeCount >= inodesNeeded) return;

        uint sizeInMiB = superblock.Size / (1024 * 1024 / DiskFormat.BlockSize);
        for (uint mib = sizeInMiB + 1; mib <= uint.MaxValue / 1024; mib++)
        {
            uint size = mib * 1024;
            DiskSuperblock larger = DiskLayout.Plan(size, inodeCount ?? DiskLayout.DefaultInodeCount(size));
            if (larger.DataBlocks >= blocksNeeded && larger.InodeCount >= inodesNeeded)
                throw new MkfsException($"the image is too small: the directory needs {blocksNeeded} data blocks and {inodesNeeded} inodes; " +
                                        $"{sizeInMiB} MiB has {superblock.DataBlocks} data blocks and {superblock.InodeCount} inodes; " +
                                        $"{mib} MiB is enough");
        }
        throw new MkfsException($"the directory needs {blocksNeeded} data blocks: more than any image the format can address");
    }

    private uint AllocateInode() => nextInode++;

    private uint AllocateBlock()
    {
        if (nextBlock >= superblock.Size) throw new MkfsException("out of data blocks (a file grew while mkfs read it?)");
        return nextBlock++;
    }

    private void WriteBlock(uint block, ReadOnlySpan<byte> bytes)
    {
        // A fresh image reads as zeros already: an all-zero block stays a hole in the host's file.
        if (bytes.IndexOfAnyExcept((byte)0) < 0) return;
        output.Position = (long)block * DiskFormat.BlockSize;
        output.Write(bytes);
    }

    private void AddRoot(HostDirectory root)
    {
        uint inode = AllocateInode();
        inodes[inode] = NewInode(root, DiskInodeType.Directory, ExecutableMode, links: 2);
        AddDirectory(root, inode, parent: inode);   // the root is its own parent
    }

    /// <summary>A new inode for `node`: root's, or the owner and group an --owner option gave it.</summary>
    private DiskInode NewInode(HostNode node, ushort type, ushort mode, ushort links)
    {
        owners.TryGetValue(node, out OwnerOption? owner);
        return new DiskInode { Type = type, Mode = mode, LinkCount = links, Uid = owner?.Uid ?? 0, Gid = owner?.Gid ?? 0 };
    }

    /// <summary>Writes each child (their contents first, so their inode numbers are known), then the directory's entries.</summary>
    private void AddDirectory(HostDirectory directory, uint self, uint parent)
    {
        var contents = new byte[directory.ContentLength];
        DiskStructs.WriteDirectoryEntry(contents, self, "."u8);
        DiskStructs.WriteDirectoryEntry(contents.AsSpan(DiskFormat.DirectoryEntrySize), parent, ".."u8);
        int slot = 2;
        foreach (HostNode child in directory.Children)
        {
            uint inode = AllocateInode();
            switch (child)
            {
                case HostDirectory subdirectory:
                    inodes[inode] = NewInode(child, DiskInodeType.Directory, ExecutableMode, links: 2);
                    inodes[self].LinkCount++;   // the child's ".." names this directory
                    AddDirectory(subdirectory, inode, self);
                    break;
                case HostFile file:
                    inodes[inode] = NewInode(child, DiskInodeType.File, file.Executable ? ExecutableMode : PlainFileMode, links: 1);
                    using (var source = new FileStream(file.HostPath, FileMode.Open, FileAccess.Read))
                        WriteContents(ref inodes[inode], source, file.Length);
                    break;
                case HostSymbolicLink link:
                    inodes[inode] = NewInode(child, DiskInodeType.SymbolicLink, LinkMode, links: 1);
                    WriteContents(ref inodes[inode], new MemoryStream(link.Target), link.Target.Length);
                    break;
            }
            DiskStructs.WriteDirectoryEntry(contents.AsSpan(slot++ * DiskFormat.DirectoryEntrySize), inode, child.Name);
        }
        WriteContents(ref inodes[self], new MemoryStream(contents), contents.Length);
    }

    /// <summary>
    /// Gives the inode `length` bytes from `source`: direct blocks first, then the single-indirect
    /// block and the blocks it addresses, then the double-indirect block, and for each 256 blocks
    /// more one single-indirect block under it. A source shorter than `length` is padded with zeros.
    /// </summary>
    private void WriteContents(ref DiskInode inode, Stream source, long length)
    {
        long blocks = (length + DiskFormat.BlockSize - 1) / DiskFormat.BlockSize;
        var data = new byte[DiskFormat.BlockSize];
        byte[]? single = null, top = null, child = null;
        uint singleAddress = 0, topAddress = 0, childAddress = 0;
        long childIndex = -1;

        for (long fileBlock = 0; fileBlock < blocks; fileBlock++)
        {
            uint address;
            if (fileBlock < DiskFormat.DirectBlocks)
            {
                address = AllocateBlock();
                DiskStructs.SetAddress(ref inode, (int)fileBlock, address);
            }
            else if (fileBlock < DiskFormat.DirectBlocks + DiskFormat.PointersPerBlock)
            {
                if (single == null)
                {
                    single = new byte[DiskFormat.BlockSize];
                    singleAddress = AllocateBlock();
                    DiskStructs.SetAddress(ref inode, DiskFormat.SingleIndirectSlot, singleAddress);
                }
                address = AllocateBlock();
                DiskStructs.SetPointer(single, (int)(fileBlock - DiskFormat.DirectBlocks), address);
            }
            else
            {
                long index = fileBlock - DiskFormat.DirectBlocks - DiskFormat.PointersPerBlock;
                if (top == null)
                {
                    top = new byte[DiskFormat.BlockSize];
                    topAddress = AllocateBlock();
                    DiskStructs.SetAddress(ref inode, DiskFormat.DoubleIndirectSlot, topAddress);
                }
                if (index / DiskFormat.PointersPerBlock != childIndex)
                {
                    if (child != null) WriteBlock(childAddress, child);
                    child = new byte[DiskFormat.BlockSize];
                    childIndex = index / DiskFormat.PointersPerBlock;
                    childAddress = AllocateBlock();
                    DiskStructs.SetPointer(top, (int)childIndex, childAddress);
                }
                address = AllocateBlock();
                DiskStructs.SetPointer(child!, (int)(index % DiskFormat.PointersPerBlock), address);
            }

            Array.Clear(data);
            int wanted = (int)Math.Min(DiskFormat.BlockSize, length - fileBlock * DiskFormat.BlockSize);
            source.ReadAtLeast(data.AsSpan(0, wanted), wanted, throwOnEndOfStream: false);
            WriteBlock(address, data);
        }

        if (single != null) WriteBlock(singleAddress, single);
        if (child != null) WriteBlock(childAddress, child);
        if (top != null) WriteBlock(topAddress, top);
        inode.Size = (ulong)length;
    }

    /// <summary>The superblock, the inode table and the bitmap. The log's header stays zero: no transaction waits.</summary>
    private void WriteMetadata()
    {
        var block = new byte[DiskFormat.BlockSize];
        DiskStructs.Write(block, superblock);
        WriteBlock(DiskFormat.SuperblockNumber, block);

        for (uint first = 0; first < superblock.InodeCount; first += DiskFormat.InodesPerBlock)
        {
            Array.Clear(block);
            for (uint i = 0; i < DiskFormat.InodesPerBlock && first + i < superblock.InodeCount; i++)
                DiskStructs.Write(block.AsSpan((int)i * DiskFormat.InodeSize), inodes[first + i]);
            WriteBlock(superblock.InodeStart + first / DiskFormat.InodesPerBlock, block);
        }

        // In use: every block before the data region (the metadata) and every block allocated above.
        var bitmap = new byte[DiskLayout.BitmapBlocks(superblock.Size) * DiskFormat.BlockSize];
        for (uint used = 0; used < nextBlock; used++)
            bitmap[used / 8] |= (byte)(1 << (int)(used % 8));
        for (uint i = 0; i * DiskFormat.BlockSize < bitmap.Length; i++)
            WriteBlock(superblock.BitmapStart + i, bitmap.AsSpan((int)(i * DiskFormat.BlockSize), DiskFormat.BlockSize));
        output.Flush();
    }
}
