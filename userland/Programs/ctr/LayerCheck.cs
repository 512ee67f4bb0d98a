using System;
using TeachOS;

/// <summary>An archive entry that passed the checks: its path made clean (no `.`, no empty parts).</summary>
public sealed class CheckedEntry
{
    public string Path;
    public TarEntry Entry;
}

/// <summary>
/// Checks every entry of a layer before a single one is unpacked, so that a bad layer leaves nothing behind.
/// A layer is a tar from elsewhere, and unpacking is writing files as root: a name with `..` or a leading
/// `/`, or a link whose target leads out of the layer, would write or point outside the layer's folder
/// (the "zip slip" of tar). Each is refused with its name. So is an entry under a symbolic link of the same
/// layer (`evil -> x`, then `evil/file`: the kernel would follow the link while unpacking), an entry kind
/// TeachOS does not unpack (devices, FIFOs), a name part longer than a disk name, and too many entries.
/// </summary>
public static class LayerCheck
{
    public const int MaximumEntries = 4096;
    public const int MaximumNamePart = 59;      // a disk directory entry holds 60 bytes (abi/DiskFormat.cs)

    public static CheckedEntry[] Check(byte[] archive, int length, out string problem)
    {
        problem = null;
        var reader = new TarReader(archive, length);
        CheckedEntry[] entries = new CheckedEntry[16];
        int count = 0;
        string[] links = new string[8];
        int linkCount = 0;
        TarEntry entry;
        while (reader.Next(out entry))
        {
            if (count == MaximumEntries) { problem = "more than " + MaximumEntries + " entries"; return null; }
            string path = CleanPath(entry.Name, out problem);
            if (path == null) return null;
            if (path.Length == 0) continue; // "./", the layer's root itself
            for (int i = 0; i < linkCount; i++)
                if (path.StartsWith(links[i] + "/")) { problem = entry.Name + ": lies under the symbolic link " + links[i] + " of the same layer"; return null; }
            if (entry.Kind == TarEntryKind.Other) { problem = entry.Name + ": an entry kind TeachOS does not unpack (device, FIFO, ...)"; return null; }
            if (entry.Kind == TarEntryKind.SymbolicLink)
            {
                if (!LinkStaysInside(path, entry.LinkName)) { problem = entry.Name + ": a link pointing outside the layer (-> " + entry.LinkName + ")"; return null; }
                if (linkCount == links.Length) Array.Resize(ref links, linkCount * 2);
                links[linkCount++] = path;
            }
            if (entry.Kind == TarEntryKind.HardLink)
            {
                string target = CleanPath(entry.LinkName, out problem);
                if (target == null) { problem = entry.Name + ": a hard link pointing outside the layer (-> " + entry.LinkName + ")"; return null; }
                if (!SeenFile(entries, count, target)) { problem = entry.Name + ": a hard link to " + entry.LinkName + ", which is no earlier file of the layer"; return null; }
                entry.LinkName = target;
            }
            if (count == entries.Length) Array.Resize(ref entries, count * 2);
            var checkedEntry = new CheckedEntry();
            checkedEntry.Path = path;
            checkedEntry.Entry = entry;
            entries[count++] = checkedEntry;
        }
        if (reader.Error != null) { problem = "malformed tar: " + reader.Error; return null; }
        Array.Resize(ref entries, count);
        return entries;
    }

    /// <summary>The name without `.` and empty parts; null (with the reason) for an absolute name or one with `..`.</summary>
    public static string CleanPath(string name, out string problem) => CleanPath(name, MaximumNamePart, out problem);

    /// <summary>As above with another limit on a part: an image archive's blob names are longer than a disk name.</summary>
    public static string CleanPath(string name, int maximumPart, out string problem)
    {
        problem = null;
        if (name.Length > 0 && name[0] == '/') { problem = name + ": an absolute path"; return null; }
        string[] parts = name.Split('/');
        string clean = "";
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            if (part.Length == 0 || part == ".") continue;
            if (part == "..") { problem = name + ": a path with .."; return null; }
            if (part.Length > maximumPart) { problem = name + ": a name part longer than " + maximumPart + " bytes"; return null; }
            clean = clean.Length == 0 ? part : clean + "/" + part;
        }
        return clean;
    }

    /// <summary>
    /// True when a relative target, followed from the link's own folder, never climbs above the layer's
    /// root. An absolute target is refused: while unpacking, TeachOS's own root is the one it would name.
    /// </summary>
    public static bool LinkStaysInside(string linkPath, string target)
    {
        if (target.Length == 0 || target[0] == '/') return false;
        int depth = 0;
        for (int i = 0; i < linkPath.Length; i++) if (linkPath[i] == '/') depth++;
        string[] parts = target.Split('/');
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] == "..") { if (--depth < 0) return false; }
            else if (parts[i].Length > 0 && parts[i] != ".") depth++;
        }
        return true;
    }

    private static bool SeenFile(CheckedEntry[] entries, int count, string path)
    {
        for (int i = 0; i < count; i++)
            if (entries[i].Path == path && entries[i].Entry.Kind == TarEntryKind.File) return true;
        return false;
    }
}
