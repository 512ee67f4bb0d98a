using System.Formats.Tar;

namespace TeachOS.Tools.ImageTool;

/// <summary>
/// A directory tree as one layer: an uncompressed ustar archive (OCI's `layer.v1.tar`), the format TeachOS's
/// own tar reader takes (userland/Lib/Images/TarReader.cs). The archive is reproducible: names sorted, every
/// entry root's with one fixed time, so the same tree always gives the same bytes and so the same digest,
/// and two images built from one tree share the layer. Modes come from the host (a program keeps its
/// execute bits); a file named `.wh.NAME` goes in as it is: it is the OCI whiteout that hides NAME.
/// </summary>
public static class LayerTar
{
    /// <summary>One time for every entry: a layer's digest must not depend on when the host copied a file.</summary>
    public static readonly DateTimeOffset FixedTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] FromDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new ImageToolException($"layer: {directory}: no such directory");
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true))
            AddChildren(writer, directory, "");
        return stream.ToArray();
    }

    private static void AddChildren(TarWriter writer, string hostDirectory, string prefix)
    {
        var names = new List<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(hostDirectory)) names.Add(Path.GetFileName(path));
        names.Sort(StringComparer.Ordinal);
        foreach (string name in names)
        {
            string hostPath = Path.Combine(hostDirectory, name);
            string entryName = prefix + name;
            var info = new FileInfo(hostPath);
            // The host's execute bits decide a file's mode; Windows has none, so there every file is 0755/0644 by kind.
            UnixFileMode mode = OperatingSystem.IsWindows() ? DefaultMode(hostPath) : File.GetUnixFileMode(hostPath);
            if (info.LinkTarget != null)
                writer.WriteEntry(Entry(TarEntryType.SymbolicLink, entryName, mode, linkName: info.LinkTarget));
            else if (Directory.Exists(hostPath))
            {
                writer.WriteEntry(Entry(TarEntryType.Directory, entryName + "/", mode));
                AddChildren(writer, hostPath, entryName + "/");
            }
            else
            {
                UstarTarEntry file = Entry(TarEntryType.RegularFile, entryName, mode);
                file.DataStream = new MemoryStream(File.ReadAllBytes(hostPath));
                writer.WriteEntry(file);
            }
        }
    }

    private static UnixFileMode DefaultMode(string hostPath) =>
        (UnixFileMode)(Directory.Exists(hostPath) || hostPath.EndsWith(".elf") ? 0b111_101_101 : 0b110_100_100);

    public static UstarTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, string? linkName = null)
    {
        var entry = new UstarTarEntry(type, name)
        {
            Mode = mode,
            Uid = 0,
            Gid = 0,
            UserName = "root",
            GroupName = "root",
            ModificationTime = FixedTime,
        };
        if (linkName != null) entry.LinkName = linkName;
        return entry;
    }
}
