using System;
using Abi;
using TeachOS;

/// <summary>Folders made and removed whole: what the layer store and a container's writable layer need.</summary>
public static unsafe class FileTree
{
    /// <summary>Makes a folder and any missing folders above it (mkdir -p); 0 or a negated errno.</summary>
    public static long MakeAll(string path)
    {
        for (int i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/') continue;
            long made = Sys.MakeDirectory(path.Substring(0, i));
            if (made < 0 && made != -Errno.EEXIST) return made;
        }
        return 0;
    }

    public static bool Exists(string path) => Sys.LinkStatus(path, out FileStatus _) == 0;

    /// <summary>
    /// Removes a folder and everything under it (rm -r), without following symbolic links (a link is
    /// unlinked, never entered). The names are read first, then removed: readdir counts by index, and
    /// removing while reading would skip every other name.
    /// </summary>
    public static long RemoveAll(string path)
    {
        FileStatus status;
        long result = Sys.LinkStatus(path, out status);
        if (result < 0) return result;
        if (status.Kind != 2) return Sys.Unlink(path);
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (descriptor < 0) return descriptor;
        string[] names = new string[16];
        int count = 0;
        for (int index = 0; Sys.ReadDirectory((int)descriptor, index, out DirectoryEntry entry) == 1; index++)
        {
            string name = string.FromAscii(entry.Name, entry.NameLength);
            if (name == "." || name == "..") continue;
            if (count == names.Length) Array.Resize(ref names, count * 2);
            names[count++] = name;
        }
        Sys.Close((int)descriptor);
        for (int i = 0; i < count; i++)
        {
            result = RemoveAll(path + "/" + names[i]);
            if (result < 0) return result;
        }
        return Sys.RemoveDirectory(path);
    }

    /// <summary>The names in a folder (not . and ..), or an empty array when it cannot be read.</summary>
    public static string[] Names(string path)
    {
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (descriptor < 0) return new string[0];
        string[] names = new string[8];
        int count = 0;
        for (int index = 0; Sys.ReadDirectory((int)descriptor, index, out DirectoryEntry entry) == 1; index++)
        {
            string name = string.FromAscii(entry.Name, entry.NameLength);
            if (name == "." || name == "..") continue;
            if (count == names.Length) Array.Resize(ref names, count * 2);
            names[count++] = name;
        }
        Sys.Close((int)descriptor);
        Array.Resize(ref names, count);
        return names;
    }
}
