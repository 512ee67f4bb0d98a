using System;
using Abi;
using TeachOS;

/// <summary>
/// Where an image's files come from: a folder in the OCI image layout, or the same layout packed in one
/// tar file (an "OCI archive", what `docker save` and `skopeo copy oci-archive:` write). The initrd ships
/// the archives: a blob's path, `blobs/sha256/` and 64 hex digits, is longer than a name the disk
/// holds, and one file is easier to carry around than a tree. Either way a file is read whole, within
/// WholeFile's ceiling, and the reader (ImageLayoutReader.cs) sees no difference.
/// </summary>
public sealed class ImageSource
{
    private readonly string folder;
    private readonly byte[] archive;
    private readonly string[] names;
    private readonly TarEntry[] entries;
    private readonly int count;
    public readonly string Shown;

    private ImageSource(string path, string folder, byte[] archive, string[] names, TarEntry[] entries, int count)
    {
        Shown = path;
        this.folder = folder;
        this.archive = archive;
        this.names = names;
        this.entries = entries;
        this.count = count;
    }

    /// <summary>A folder or an archive, by what the path names; null with the reason when neither will do.</summary>
    public static ImageSource Open(string path, out string problem)
    {
        problem = null;
        FileStatus status;
        long result = Sys.PathStatus(path, out status);
        if (result < 0) { problem = path + ": " + Sys.ErrorName(result); return null; }
        if (status.Kind == 2) return new ImageSource(path, path, null, null, null, 0);
        int length;
        byte[] bytes = WholeFile.Read(path, out length, out problem);
        if (bytes == null) return null;
        var reader = new TarReader(bytes, length);
        string[] names = new string[16];
        TarEntry[] entries = new TarEntry[16];
        int count = 0;
        TarEntry entry;
        while (reader.Next(out entry))
        {
            if (entry.Kind != TarEntryKind.File) continue;
            string name = LayerCheck.CleanPath(entry.Name, TarReader.NameFieldLength, out problem);
            if (name == null) { problem = "the image archive: " + problem; return null; }
            if (count == names.Length) { Array.Resize(ref names, count * 2); Array.Resize(ref entries, count * 2); }
            names[count] = name;
            entries[count++] = entry;
        }
        if (reader.Error != null) { problem = "the image archive: malformed tar: " + reader.Error; return null; }
        return new ImageSource(path, null, bytes, names, entries, count);
    }

    public bool Exists(string name)
    {
        if (folder != null) return Sys.PathStatus(folder + "/" + name, out FileStatus _) == 0;
        return Find(name) != null;
    }

    /// <summary>A file of the layout (`index.json`, `blobs/sha256/HEX`) whole; null with the reason.</summary>
    public byte[] Read(string name, out int length, out string problem)
    {
        if (folder != null) return WholeFile.Read(folder + "/" + name, out length, out problem);
        length = 0;
        problem = null;
        TarEntry entry = Find(name);
        if (entry == null) { problem = Shown + ": no " + name; return null; }
        byte[] bytes = new byte[entry.Size];
        Array.Copy(archive, entry.DataOffset, bytes, 0, entry.Size);
        length = entry.Size;
        return bytes;
    }

    private TarEntry Find(string name)
    {
        for (int i = 0; i < count; i++) if (names[i] == name) return entries[i];
        return null;
    }
}
