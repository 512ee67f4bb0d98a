using System.Runtime.InteropServices;
using System.Text;
using Abi;

namespace TeachOS.Tools.DiskTools.Format;

/// <summary>
/// The structures of abi/DiskFormat.cs to and from a block's bytes. They are laid out exactly as on
/// the disk (sequential, no references), and x86-64 is little-endian like the format, so a block's
/// bytes are read as the struct itself, as the kernel does.
/// </summary>
public static unsafe class DiskStructs
{
    public static T Read<T>(ReadOnlySpan<byte> bytes) where T : unmanaged => MemoryMarshal.Read<T>(bytes);

    public static void Write<T>(Span<byte> bytes, T value) where T : unmanaged => MemoryMarshal.Write(bytes, in value);

    public static uint Address(DiskInode inode, int slot) => inode.Addresses[slot];

    public static void SetAddress(ref DiskInode inode, int slot, uint block) => inode.Addresses[slot] = block;

    public static uint LoggedBlock(DiskLogHeader header, int index) => header.Blocks[index];

    public static void SetLoggedBlock(ref DiskLogHeader header, int index, uint block) => header.Blocks[index] = block;

    /// <summary>The index-th address of a block of addresses (an indirect block).</summary>
    public static uint Pointer(ReadOnlySpan<byte> block, int index) =>
        MemoryMarshal.Read<uint>(block.Slice(index * sizeof(uint), sizeof(uint)));

    public static void SetPointer(Span<byte> block, int index, uint address) =>
        MemoryMarshal.Write(block.Slice(index * sizeof(uint), sizeof(uint)), in address);

    /// <summary>Writes a directory entry: the inode number, then the name's bytes, NUL-padded to 60.</summary>
    public static void WriteDirectoryEntry(Span<byte> slot, uint inode, ReadOnlySpan<byte> name)
    {
        if (name.Length > DiskFormat.MaximumNameLength) throw new ArgumentException("name too long", nameof(name));
        slot.Slice(0, DiskFormat.DirectoryEntrySize).Clear();
        MemoryMarshal.Write(slot, in inode);
        name.CopyTo(slot.Slice(sizeof(uint)));
    }

    /// <summary>"rwxr-xr-x" and the type letter, as ls -l prints them.</summary>
    public static string ModeString(ushort type, ushort mode)
    {
        var text = new StringBuilder();
        text.Append(type switch
        {
            DiskInodeType.Directory => 'd',
            DiskInodeType.SymbolicLink => 'l',
            DiskInodeType.Device => 'c',
            _ => '-',
        });
        const string letters = "rwxrwxrwx";
        for (int bit = 0; bit < 9; bit++)
            text.Append((mode & (1 << (8 - bit))) != 0 ? letters[bit] : '-');
        return text.ToString();
    }

    public static string TypeName(ushort type) => type switch
    {
        DiskInodeType.Free => "free",
        DiskInodeType.Directory => "directory",
        DiskInodeType.File => "file",
        DiskInodeType.SymbolicLink => "symbolic link",
        DiskInodeType.Device => "device",
        _ => $"type {type}",
    };
}
