using System;
using Abi;
using TeachOS;

/// <summary>
/// Unpacks a checked layer (LayerCheck.cs) into a folder of the layer store, then makes it read-only: every
/// file and folder loses its write bits (folders 0555) and belongs to root. Read-only is what lets
/// containers share a layer: none of them can change it, each writes into its own upper layer instead
/// (the overlay). The folder is filled under a temporary name and renamed into place at the end, so a
/// layer in the store is always whole: an unpack that fails halfway leaves only the temporary folder,
/// which the next import removes.
/// </summary>
public static class LayerUnpacker
{
    private const int WriteBits = 0x92;           // 0222: the owner's, the group's and others' write permission
    private const int ReadOnlyFolderMode = 0x16D; // 0555

    public static long Unpack(byte[] archive, CheckedEntry[] entries, string folder, out string problem)
    {
        problem = null;
        long result = Sys.MakeDirectory(folder);
        if (result < 0) { problem = folder + ": " + Sys.ErrorName(result); return result; }
        for (int i = 0; i < entries.Length; i++)
        {
            string path = folder + "/" + entries[i].Path;
            TarEntry entry = entries[i].Entry;
            // Archives may leave out a file's folders: make them (they are made read-only below too).
            int slash = path.LastIndexOf('/');
            result = FileTree.MakeAll(path.Substring(0, slash));
            if (result < 0) { problem = path + ": " + Sys.ErrorName(result); return result; }
            if (entry.Kind == TarEntryKind.Directory)
            {
                result = Sys.MakeDirectory(path);
                if (result == -Errno.EEXIST) result = 0;
            }
            else if (entry.Kind == TarEntryKind.SymbolicLink) result = Sys.SymbolicLink(entry.LinkName, path);
            else if (entry.Kind == TarEntryKind.HardLink) result = Sys.Link(folder + "/" + entry.LinkName, path);
            else result = WriteFile(path, archive, entry);
            if (result < 0) { problem = path + ": " + Sys.ErrorName(result); return result; }
        }
        return MakeReadOnly(folder, out problem);
    }

    private static long WriteFile(string path, byte[] archive, TarEntry entry)
    {
        long descriptor = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (descriptor < 0) return descriptor;
        long written = entry.Size == 0 ? 0 : Sys.Write((int)descriptor, new ReadOnlySpan<byte>(archive, entry.DataOffset, entry.Size));
        Sys.Close((int)descriptor);
        if (written < 0) return written;
        if (written != entry.Size) return -Errno.EIO;
        return Sys.ChangeMode(path, entry.Mode & 0xFFF & ~WriteBits);
    }

    /// <summary>Folders 0555 and root's, files root's (their modes were set without write bits), depth first.</summary>
    private static long MakeReadOnly(string folder, out string problem)
    {
        problem = null;
        string[] names = FileTree.Names(folder);
        for (int i = 0; i < names.Length; i++)
        {
            string path = folder + "/" + names[i];
            FileStatus status;
            if (Sys.LinkStatus(path, out status) < 0 || status.Kind == 5) continue; // a link's own mode means nothing
            long result = status.Kind == 2 ? MakeReadOnly(path, out problem) : Sys.ChangeOwner(path, 0, 0);
            if (result < 0) { if (problem == null) problem = path + ": " + Sys.ErrorName(result); return result; }
        }
        long owned = Sys.ChangeOwner(folder, 0, 0);
        if (owned < 0) { problem = folder + ": " + Sys.ErrorName(owned); return owned; }
        long moded = Sys.ChangeMode(folder, ReadOnlyFolderMode);
        if (moded < 0) problem = folder + ": " + Sys.ErrorName(moded);
        return moded;
    }
}
