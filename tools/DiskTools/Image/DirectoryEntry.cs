using System.Text;
using Abi;

namespace TeachOS.Tools.DiskTools.Image;

/// <summary>
/// One used slot of a directory (Inode != 0): the slot's index, the inode it names and the name's
/// raw bytes (up to the first NUL, at most 60). Name decodes them as UTF-8 for people.
/// </summary>
public sealed record DirectoryEntry(int Slot, uint Inode, byte[] RawName, byte[] RawSlot)
{
    public string Name => Encoding.UTF8.GetString(RawName);

    public bool IsDot => RawName is [(byte)'.'];
    public bool IsDotDot => RawName is [(byte)'.', (byte)'.'];

    /// <summary>Why the name is not a valid one, or null: empty, a '/', or bytes after the NUL padding began.</summary>
    public string? NameProblem()
    {
        if (RawName.Length == 0) return "an empty name";
        if (Array.IndexOf(RawName, (byte)'/') >= 0) return "a '/' in the name";
        for (int i = sizeof(uint) + RawName.Length; i < DiskFormat.DirectoryEntrySize; i++)
            if (RawSlot[i] != 0) return "bytes after the name's terminating NUL";
        return null;
    }

    /// <summary>The used entries of a directory's contents (a whole number of 64-byte slots; a partial one at the end is ignored).</summary>
    public static List<DirectoryEntry> Parse(ReadOnlySpan<byte> contents)
    {
        var entries = new List<DirectoryEntry>();
        for (int slot = 0; (slot + 1) * DiskFormat.DirectoryEntrySize <= contents.Length; slot++)
        {
            ReadOnlySpan<byte> bytes = contents.Slice(slot * DiskFormat.DirectoryEntrySize, DiskFormat.DirectoryEntrySize);
            uint inode = BitConverter.ToUInt32(bytes);
            if (inode == 0) continue;
            ReadOnlySpan<byte> name = bytes.Slice(sizeof(uint), DiskFormat.MaximumNameLength);
            int end = name.IndexOf((byte)0);
            entries.Add(new DirectoryEntry(slot, inode, name.Slice(0, end < 0 ? name.Length : end).ToArray(), bytes.ToArray()));
        }
        return entries;
    }
}
