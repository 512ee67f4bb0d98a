using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;

namespace TeachOS.Tools.ImageTool;

/// <summary>
/// Broken images, each wrong in one way, for the tests of `ctr images import` (usertests' ctr cases and
/// tests/Tools): an importer must refuse every one with a clear message and leave nothing behind. Each is
/// a well-formed image with two layers, a harmless one (`hostile/ok.txt`) under the bad one, so a test
/// can also see that the importer did not unpack the first layer before it found the second one bad.
/// Only `wrong-digest` has a blob whose bytes differ from its name; the others have honest digests, so it
/// is the tar reader or the path checks, not the digest check, that must catch them.
/// </summary>
public static class HostileImages
{
    public static readonly string[] Kinds =
        { "wrong-digest", "dotdot", "absolute", "link-outside", "truncated", "huge", "missing-blob", "bad-json" };

    public static void Build(string kind, string outputDirectory)
    {
        if (Directory.Exists(outputDirectory)) Directory.Delete(outputDirectory, recursive: true);
        Directory.CreateDirectory(outputDirectory);
        var layers = new List<Descriptor> { Layer(outputDirectory, Tar(("hostile/ok.txt", "a harmless first layer\n"))) };
        switch (kind)
        {
            case "wrong-digest":
                // The blob is stored under the digest of its honest bytes, then one byte changes: what a
                // corrupted download or a tampered registry gives.
                Descriptor honest = Layer(outputDirectory, Tar(("hostile/data.txt", "the bytes the digest was made from\n")));
                string path = ImageLayout.BlobPath(outputDirectory, honest.Digest);
                byte[] bytes = File.ReadAllBytes(path);
                bytes[512] ^= 0x20;
                File.WriteAllBytes(path, bytes);
                layers.Add(honest);
                break;
            case "dotdot": layers.Add(Layer(outputDirectory, Tar(("../escaped.txt", "outside the layer\n")))); break;
            case "absolute": layers.Add(Layer(outputDirectory, Tar(("/etc/escaped.txt", "an absolute path\n")))); break;
            case "link-outside": layers.Add(Layer(outputDirectory, SymbolicLinkTar("hostile/way-out", "../../../../etc"))); break;
            case "truncated":
                // Cut in the middle of a file's data; the digest is of the cut bytes, so it matches.
                byte[] whole = Tar(("hostile/big.txt", new string('x', 3000)));
                layers.Add(Layer(outputDirectory, whole[..(512 + 1000)]));
                break;
            case "huge": layers.Add(Layer(outputDirectory, HugeSizeTar())); break;
            case "missing-blob":
                Descriptor gone = Layer(outputDirectory, Tar(("hostile/gone.txt", "this blob is deleted\n")));
                File.Delete(ImageLayout.BlobPath(outputDirectory, gone.Digest));
                layers.Add(gone);
                break;
            case "bad-json":
                // A manifest that is not JSON at all: written as a blob (its digest honest), named by index.json.
                Descriptor manifest = ImageLayout.WriteBlob(outputDirectory, ImageLayout.ManifestType,
                    Encoding.ASCII.GetBytes("{\"schemaVersion\": 2, \"layers\": [ {\"digest\": "));
                ImageLayout.WriteIndex(outputDirectory, "hostile-" + kind, manifest);
                return;
            default: throw new ImageToolException($"hostile: unknown kind `{kind}` (one of {string.Join(", ", Kinds)})");
        }
        JsonObject config = ImageBuilder.NewConfig();
        config["config"]!["Cmd"] = new JsonArray("sh");
        ImageLayout.WriteImage(outputDirectory, "hostile-" + kind, config, layers);
    }

    private static Descriptor Layer(string outputDirectory, byte[] tar) =>
        ImageLayout.WriteBlob(outputDirectory, ImageLayout.LayerType, tar);

    private static byte[] Tar(params (string Name, string Text)[] files)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true))
            foreach ((string name, string text) in files)
            {
                UstarTarEntry entry = LayerTar.Entry(TarEntryType.RegularFile, name, (UnixFileMode)0b110_100_100);
                entry.DataStream = new MemoryStream(Encoding.ASCII.GetBytes(text));
                writer.WriteEntry(entry);
            }
        return stream.ToArray();
    }

    private static byte[] SymbolicLinkTar(string name, string target)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true))
            writer.WriteEntry(LayerTar.Entry(TarEntryType.SymbolicLink, name, (UnixFileMode)0b111_111_111, linkName: target));
        return stream.ToArray();
    }

    /// <summary>
    /// A header claiming a file of 8 GiB - 1 (the largest ustar's 11 octal digits hold), the archive itself
    /// small: a reader that trusts the size allocates or seeks past the end. The checksum is made right
    /// again, so only the size is wrong.
    /// </summary>
    private static byte[] HugeSizeTar()
    {
        byte[] tar = Tar(("hostile/huge.bin", "small\n"));
        const int SizeField = 124, ChecksumField = 148, ChecksumLength = 8; // ustar header offsets (POSIX pax, ustar format)
        Encoding.ASCII.GetBytes("77777777777\0").CopyTo(tar, SizeField);
        for (int i = 0; i < ChecksumLength; i++) tar[ChecksumField + i] = (byte)' ';
        int sum = 0;
        for (int i = 0; i < 512; i++) sum += tar[i];
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, ChecksumField);
        return tar;
    }
}
