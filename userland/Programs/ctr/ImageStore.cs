using System;
using Abi;
using TeachOS;

/// <summary>
/// The layer store and the image records under ctr's root (default /disk/var/lib/ctr: on the disk, so
/// images outlive a reboot; /var/lib/ctr without a disk; `ctr --root DIR` for another):
///   ROOT/layers/HEX56/        one unpacked, read-only layer, named by its digest (Digests.StoreName), shared
///                             by every image that has it
///   ROOT/images/NAME/manifest the manifest's digest
///   ROOT/images/NAME/manifest.json  the manifest itself (the layers' descriptors: ctr commit adds one)
///   ROOT/images/NAME/layers   the layers' digests, bottom first, one a line
///   ROOT/images/NAME/config.json  the image's configuration (what to run)
/// Import checks the whole image first (every digest, every tar entry) and only then writes: a refused
/// image leaves no record and no layer.
/// </summary>
public static class ImageStore
{
    public static string LayerFolder(string root, string digest) => root + "/layers/" + Digests.StoreName(digest);

    public static int Import(string root, string source)
    {
        string problem;
        ImportedImage image = ImageLayoutReader.Read(source, out problem);
        if (image == null) return Refuse(source, problem);
        if (!IsGoodName(image.Name)) return Refuse(source, "the image name \"" + image.Name + "\" is not a plain file name");

        // Every layer's archive is checked before the first is unpacked: nothing half-imported.
        CheckedEntry[][] checkedLayers = new CheckedEntry[image.Layers.Length][];
        for (int i = 0; i < image.Layers.Length; i++)
        {
            checkedLayers[i] = LayerCheck.Check(image.Layers[i].Archive, image.Layers[i].Length, out problem);
            if (checkedLayers[i] == null) return Refuse(source, "layer " + image.Layers[i].Digest + ": " + problem);
        }

        long result = FileTree.MakeAll(root + "/layers");
        if (result == 0) result = FileTree.MakeAll(root + "/images");
        if (result < 0) return Refuse(source, root + ": " + Sys.ErrorName(result));
        for (int i = 0; i < image.Layers.Length; i++)
            if (AddLayer(root, image.Layers[i], checkedLayers[i], out problem) < 0) return Refuse(source, problem);
        result = WriteRecord(root + "/images/" + image.Name, image.Layers, image.ManifestDigest,
                             image.Manifest, image.ManifestLength, image.Config, image.ConfigLength);
        if (result < 0) return Refuse(source, "the image record: " + Sys.ErrorName(result));
        Console.WriteLine("imported " + image.Name + " " + image.ManifestDigest);
        return 0;
    }

    /// <summary>
    /// Unpacks a checked layer into the store under its digest, unless the store has it already (then it is
    /// shared). 0, or an error with the reason in problem.
    /// </summary>
    public static long AddLayer(string root, ImportedLayer layer, CheckedEntry[] entries, out string problem)
    {
        problem = null;
        string folder = LayerFolder(root, layer.Digest);
        if (FileTree.Exists(folder)) { Console.WriteLine("layer " + layer.Digest + ": already in the store, shared"); return 0; }
        string partial = folder + ".new";
        FileTree.RemoveAll(partial); // left by an import that stopped halfway
        long result = LayerUnpacker.Unpack(layer.Archive, entries, partial, out problem);
        if (result == 0) result = Sys.Rename(partial, folder);
        if (result < 0)
        {
            FileTree.RemoveAll(partial);
            problem = "layer " + layer.Digest + ": " + (problem ?? Sys.ErrorName(result));
            return result;
        }
        Console.WriteLine("layer " + layer.Digest + ": unpacked, " + entries.Length + " entries");
        return 0;
    }

    /// <summary>An image's record (import's, and commit's: ContainerCommit.cs); a record of the same name is replaced.</summary>
    public static long WriteRecord(string folder, ImportedLayer[] layers, string manifestDigest, byte[] manifest, int manifestLength,
                                   byte[] config, int configLength)
    {
        FileTree.RemoveAll(folder);
        long result = Sys.MakeDirectory(folder);
        if (result < 0) return result;
        string digests = "";
        for (int i = 0; i < layers.Length; i++) digests += layers[i].Digest + "\n";
        result = Files.WriteAllText(folder + "/layers", digests);
        if (result == 0) result = Files.WriteAllText(folder + "/manifest", manifestDigest + "\n");
        if (result == 0) result = WriteBytes(folder + "/manifest.json", manifest, manifestLength);
        if (result == 0) result = WriteBytes(folder + "/config.json", config, configLength);
        return result;
    }

    private static long WriteBytes(string path, byte[] bytes, int length)
    {
        long descriptor = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (descriptor < 0) return descriptor;
        long result = Sys.Write((int)descriptor, new ReadOnlySpan<byte>(bytes, 0, length));
        Sys.Close((int)descriptor);
        return result < 0 ? result : result != length ? -Errno.EIO : 0;
    }

    /// <summary>An image's layers, bottom first, from its record; null when there is no such image.</summary>
    public static string[] Layers(string root, string name)
    {
        if (!IsGoodName(name)) return null;
        string text = Files.ReadAllText(root + "/images/" + name + "/layers", out long _);
        return text == null ? null : text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>`ctr images ls`: each image's name, manifest digest, number of layers and bytes on the store.</summary>
    public static int List(string root)
    {
        Console.WriteLine("NAME".PadRight(16) + "DIGEST".PadRight(24) + "LAYERS  SIZE");
        string[] names = FileTree.Names(root + "/images");
        for (int i = 0; i < names.Length; i++)
        {
            string[] layers = Layers(root, names[i]);
            string manifest = Files.ReadAllText(root + "/images/" + names[i] + "/manifest", out long _);
            if (layers == null || manifest == null) continue;
            long size = 0;
            for (int l = 0; l < layers.Length; l++) size += TreeBytes(LayerFolder(root, layers[l]));
            Console.WriteLine(names[i].PadRight(16) + manifest.Trim().Substring(0, 7 + 12).PadRight(24) +
                              layers.Length.ToString().PadRight(8) + size);
        }
        return 0;
    }

    /// <summary>
    /// `ctr images rm NAME`: the record goes, and each of its layers that no other image names (a layer is
    /// shared, so it is removed only with its last image). A container's own writable layer is not here.
    /// </summary>
    public static int Remove(string root, string name)
    {
        string[] layers = Layers(root, name);
        if (layers == null) { Console.Error("ctr: images rm: no image " + name + "\n"); return 1; }
        long result = FileTree.RemoveAll(root + "/images/" + name);
        if (result < 0) { Files.ReportError("ctr", "images rm " + name, result); return 1; }
        string[] others = FileTree.Names(root + "/images");
        for (int l = 0; l < layers.Length; l++)
        {
            bool used = false;
            for (int i = 0; i < others.Length && !used; i++)
            {
                string[] theirs = Layers(root, others[i]);
                for (int t = 0; theirs != null && t < theirs.Length; t++) if (theirs[t] == layers[l]) used = true;
            }
            if (used) { Console.WriteLine("layer " + layers[l] + ": kept, another image has it"); continue; }
            FileTree.RemoveAll(LayerFolder(root, layers[l]));
            Console.WriteLine("layer " + layers[l] + ": removed");
        }
        Console.WriteLine("removed " + name);
        return 0;
    }

    private static long TreeBytes(string path)
    {
        FileStatus status;
        if (Sys.LinkStatus(path, out status) < 0) return 0;
        if (status.Kind != 2) return status.Kind == 1 ? status.Size : 0;
        long total = 0;
        string[] names = FileTree.Names(path);
        for (int i = 0; i < names.Length; i++) total += TreeBytes(path + "/" + names[i]);
        return total;
    }

    public static bool IsGoodName(string name) =>
        name != null && name.Length > 0 && name.Length <= LayerCheck.MaximumNamePart && !name.Contains('/') && name != "." && name != "..";

    private static int Refuse(string source, string problem)
    {
        Console.Error("ctr: images import " + source + ": refused: " + problem + "\n");
        return 1;
    }
}
