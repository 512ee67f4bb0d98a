using Abi;
using TeachOS.Tools.DiskTools.Format;

namespace TeachOS.Tools.DiskTools.Image;

/// <summary>
/// A disk image read (and, for log recovery, written) block by block, through any seekable stream:
/// a file on the host, or a MemoryStream the crash explorer builds. It trusts nothing: the
/// superblock is read as it is (Checker decides whether it adds up), a block past the end of the
/// image reads as zeros, and the walks below follow only addresses inside the data region.
/// </summary>
public sealed class FileSystemImage : IDisposable
{
    private readonly Stream stream;
    private readonly bool ownsStream;

    public FileSystemImage(Stream stream, bool ownsStream = false)
    {
        this.stream = stream;
        this.ownsStream = ownsStream;
        BlocksInImage = stream.Length / DiskFormat.BlockSize;
        Span<byte> block = stackalloc byte[DiskFormat.BlockSize];
        ReadBlock(DiskFormat.SuperblockNumber, block);
        Superblock = DiskStructs.Read<DiskSuperblock>(block);
    }

    public static FileSystemImage Open(string path, bool writable = false) =>
        new(new FileStream(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read), ownsStream: true);

    public DiskSuperblock Superblock { get; }

    /// <summary>Whole blocks in the image when it was opened (the file's length, not what the superblock claims).</summary>
    public long BlocksInImage { get; }

    public void Dispose()
    {
        if (ownsStream) stream.Dispose();
    }

    public void ReadBlock(uint block, Span<byte> into)
    {
        into = into.Slice(0, DiskFormat.BlockSize);
        into.Clear();
        if (block >= BlocksInImage) return;
        stream.Position = (long)block * DiskFormat.BlockSize;
        stream.ReadAtLeast(into, into.Length, throwOnEndOfStream: false);
    }

    public byte[] ReadBlock(uint block)
    {
        var bytes = new byte[DiskFormat.BlockSize];
        ReadBlock(block, bytes);
        return bytes;
    }

    public void WriteBlock(uint block, ReadOnlySpan<byte> from)
    {
        stream.Position = (long)block * DiskFormat.BlockSize;
        stream.Write(from.Slice(0, DiskFormat.BlockSize));
    }

    public void Flush() => stream.Flush();

    /// <summary>True when the address is one a file may use: inside the data region and inside the image.</summary>
    public bool IsDataBlock(uint block) =>
        block >= Superblock.DataStart && block < Superblock.Size && block < BlocksInImage;

    public DiskInode ReadInode(uint inode)
    {
        Span<byte> block = stackalloc byte[DiskFormat.BlockSize];
        ReadBlock(Superblock.InodeStart + inode / DiskFormat.InodesPerBlock, block);
        return DiskStructs.Read<DiskInode>(block.Slice((int)(inode % DiskFormat.InodesPerBlock) * DiskFormat.InodeSize));
    }

    public void WriteInode(uint inode, DiskInode value)
    {
        uint blockNumber = Superblock.InodeStart + inode / DiskFormat.InodesPerBlock;
        byte[] block = ReadBlock(blockNumber);
        DiskStructs.Write(block.AsSpan((int)(inode % DiskFormat.InodesPerBlock) * DiskFormat.InodeSize), value);
        WriteBlock(blockNumber, block);
    }

    /// <summary>Whether the bitmap marks the block in use: bit (b % 8) of byte (b / 8) of the bitmap, as in xv6.</summary>
    public bool IsMarkedInBitmap(uint block)
    {
        Span<byte> bits = stackalloc byte[DiskFormat.BlockSize];
        ReadBlock(Superblock.BitmapStart + block / DiskFormat.BitsPerBlock, bits);
        uint bit = block % DiskFormat.BitsPerBlock;
        return (bits[(int)(bit / 8)] & (1 << (int)(bit % 8))) != 0;
    }

    /// <summary>
    /// Every nonzero address an inode names, in file order: direct blocks, the single-indirect block
    /// and its entries, the double-indirect block, its single-indirect children and their entries.
    /// An indirect block outside the data region is reported but not read (it is no indirect block).
    /// </summary>
    public IEnumerable<InodeBlock> BlocksOf(DiskInode inode)
    {
        for (int slot = 0; slot < DiskFormat.DirectBlocks; slot++)
        {
            uint address = DiskStructs.Address(inode, slot);
            if (address != 0) yield return new InodeBlock(address, BlockRole.Data, slot, $"direct {slot}");
        }

        uint single = DiskStructs.Address(inode, DiskFormat.SingleIndirectSlot);
        if (single != 0)
        {
            yield return new InodeBlock(single, BlockRole.SingleIndirect, -1, "single-indirect block");
            if (IsDataBlock(single))
            {
                byte[] pointers = ReadBlock(single);
                for (int i = 0; i < DiskFormat.PointersPerBlock; i++)
                {
                    uint address = DiskStructs.Pointer(pointers, i);
                    if (address != 0)
                        yield return new InodeBlock(address, BlockRole.Data, DiskFormat.DirectBlocks + i, $"single-indirect entry {i}");
                }
            }
        }

        uint top = DiskStructs.Address(inode, DiskFormat.DoubleIndirectSlot);
        if (top == 0) yield break;
        yield return new InodeBlock(top, BlockRole.DoubleIndirect, -1, "double-indirect block");
        if (!IsDataBlock(top)) yield break;
        byte[] children = ReadBlock(top);
        for (int i = 0; i < DiskFormat.PointersPerBlock; i++)
        {
            uint child = DiskStructs.Pointer(children, i);
            if (child == 0) continue;
            yield return new InodeBlock(child, BlockRole.DoubleIndirectChild, -1, $"double-indirect entry {i}");
            if (!IsDataBlock(child)) continue;
            byte[] pointers = ReadBlock(child);
            long first = DiskFormat.DirectBlocks + DiskFormat.PointersPerBlock + (long)i * DiskFormat.PointersPerBlock;
            for (int j = 0; j < DiskFormat.PointersPerBlock; j++)
            {
                uint address = DiskStructs.Pointer(pointers, j);
                if (address != 0)
                    yield return new InodeBlock(address, BlockRole.Data, first + j, $"double-indirect entry {i}.{j}");
            }
        }
    }

    /// <summary>
    /// An inode's contents, Size bytes (capped at the largest file). A block address of 0 or one
    /// outside the data region reads as zeros: fsck reports those, a reader carries on. With
    /// upToLastBlock, the contents end with the last block present: what a directory needs (its
    /// trailing holes hold no entries), and a damaged size of gigabytes then costs nothing.
    /// </summary>
    public byte[] ReadContents(DiskInode inode, bool upToLastBlock = false)
    {
        long size = (long)Math.Min(inode.Size, (ulong)DiskFormat.MaximumFileSize);
        var present = BlocksOf(inode)
            .Where(b => b.Role == BlockRole.Data && IsDataBlock(b.Address) && b.FileBlock * DiskFormat.BlockSize < size)
            .ToList();
        if (upToLastBlock)
            size = Math.Min(size, present.Count == 0 ? 0 : (present.Max(b => b.FileBlock) + 1) * DiskFormat.BlockSize);

        var contents = new byte[size];
        var buffer = new byte[DiskFormat.BlockSize];
        foreach (InodeBlock block in present)
        {
            long offset = block.FileBlock * DiskFormat.BlockSize;
            if (offset >= size) continue;
            ReadBlock(block.Address, buffer);
            buffer.AsSpan(0, (int)Math.Min(DiskFormat.BlockSize, size - offset)).CopyTo(contents.AsSpan((int)offset));
        }
        return contents;
    }

    public byte[] ReadFile(uint inode) => ReadContents(ReadInode(inode));

    /// <summary>The used entries of a directory inode.</summary>
    public List<DirectoryEntry> ReadDirectory(uint inode) => ReadDirectory(ReadInode(inode));

    public List<DirectoryEntry> ReadDirectory(DiskInode directory) => DirectoryEntry.Parse(ReadContents(directory, upToLastBlock: true));

    /// <summary>The inode a path names, from the root, without following symbolic links; null when there is none.</summary>
    public uint? Lookup(string path)
    {
        uint current = DiskFormat.RootInode;
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (ReadInode(current).Type != DiskInodeType.Directory) return null;
            DirectoryEntry? entry = ReadDirectory(current).FirstOrDefault(e => e.Name == part);
            if (entry == null || entry.Inode >= Superblock.InodeCount) return null;
            current = entry.Inode;
        }
        return current;
    }

    /// <summary>Installs a committed log transaction the way the kernel's recovery does (LogRecovery); returns the blocks installed.</summary>
    public int Recover() => LogRecovery.Recover(this);
}
