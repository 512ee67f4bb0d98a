using System;
using TeachOS;

/// <summary>
/// `ctr commit NAME NEWIMAGE`: Docker's lesson in one command, "an image is layers; a container is an
/// image plus one writable layer". The container's writable layer (ROOT/containers/NAME/upper) is packed
/// as a tar (LayerArchive.cs, whiteouts included), named by its SHA-256, checked as an imported layer is
/// (LayerCheck.cs) and unpacked into the store; the new image is the old image's layers, shared, with that
/// one on top: a new manifest (its descriptors plus one) and a new config (rootfs.diff_ids plus one).
/// Nothing of the old image changes, and `ctr run NEWIMAGE` sees the container's files, and not the ones
/// it deleted.
/// </summary>
public static class ContainerCommit
{
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    private const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";

    public static int Commit(string root, string name, string newImage)
    {
        string folder = ContainerState.Folder(root, name);
        if (!ImageStore.IsGoodName(name) || !FileTree.Exists(folder)) return Fail("no container " + name);
        if (!ImageStore.IsGoodName(newImage)) return Fail("the image name \"" + newImage + "\" is not a plain file name");
        if (ImageStore.Layers(root, newImage) != null) return Fail("an image " + newImage + " exists already (ctr images rm it, or choose another name)");
        string baseImage = (Files.ReadAllText(folder + "/image", out long _) ?? "").Trim();
        string[] baseLayers = ImageStore.Layers(root, baseImage);
        if (baseLayers == null) return Fail(name + "'s image " + baseImage + " is no longer in the store");
        string problem;
        int manifestLength, configLength;
        byte[] manifestBytes = WholeFile.Read(root + "/images/" + baseImage + "/manifest.json", out manifestLength, out problem);
        if (manifestBytes == null) return Fail(problem + " (an image imported before ctr kept manifests: import it again)");
        byte[] configBytes = WholeFile.Read(root + "/images/" + baseImage + "/config.json", out configLength, out problem);
        if (configBytes == null) return Fail(problem);
        string error;
        JsonValue manifest = JsonReader.Parse(manifestBytes, manifestLength, out error);
        JsonValue layerDescriptors = manifest?.ArrayMember("layers");
        if (layerDescriptors == null || layerDescriptors.Count != baseLayers.Length) return Fail(baseImage + ": its manifest.json does not match its layers");

        // The writable layer, as a layer tar, checked as every layer from elsewhere is.
        TarWriter archive = LayerArchive.Pack(folder + "/upper", out problem);
        if (archive == null) return Fail(problem);
        var layer = new ImportedLayer { Archive = archive.Bytes, Length = archive.Length, Digest = Digests.Of(archive.Bytes, archive.Length) };
        CheckedEntry[] entries = LayerCheck.Check(layer.Archive, layer.Length, out problem);
        if (entries == null) return Fail("the writable layer cannot be a layer: " + problem);
        if (ImageStore.AddLayer(root, layer, entries, out problem) < 0) return Fail(problem);

        string config = AddDiffId(string.CopyFromAscii(new ReadOnlySpan<byte>(configBytes, 0, configLength)), layer.Digest);
        if (config == null) return Fail(baseImage + ": its config has no rootfs.diff_ids");
        byte[] newConfig = Ascii(config);
        string layersJson = "";
        var layers = new ImportedLayer[baseLayers.Length + 1];
        for (int i = 0; i < baseLayers.Length; i++)
        {
            layers[i] = new ImportedLayer { Digest = baseLayers[i] };
            JsonValue size = layerDescriptors.Items[i].Member("size");
            long bytes = 0;
            if (size == null || !size.TryGetLong(out bytes) || layerDescriptors.Items[i].StringMember("digest") != baseLayers[i])
                return Fail(baseImage + ": its manifest.json does not match its layers");
            layersJson += Descriptor(ImageLayoutReader.LayerMediaType, baseLayers[i], bytes) + ",";
        }
        layers[baseLayers.Length] = layer;
        layersJson += Descriptor(ImageLayoutReader.LayerMediaType, layer.Digest, layer.Length);
        byte[] newManifest = Ascii("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaType + "\",\"config\":" +
                                   Descriptor(ConfigMediaType, Digests.Of(newConfig, newConfig.Length), newConfig.Length) +
                                   ",\"layers\":[" + layersJson + "]}");
        string manifestDigest = Digests.Of(newManifest, newManifest.Length);
        long result = ImageStore.WriteRecord(root + "/images/" + newImage, layers, manifestDigest, newManifest, newManifest.Length, newConfig, newConfig.Length);
        if (result < 0) { FileTree.RemoveAll(root + "/images/" + newImage); return Fail("the image record: " + Sys.ErrorName(result)); }
        Console.WriteLine("committed " + name + " as " + newImage + " " + manifestDigest + ": " + baseImage + "'s " + baseLayers.Length +
                          " layer(s) and " + layer.Digest + " (" + entries.Length + " entries, " + layer.Length + " bytes)");
        return 0;
    }

    /// <summary>
    /// The config with one more digest at the end of rootfs.diff_ids (an uncompressed layer's diff_id is its
    /// digest). Written into the text, not re-serialised: everything else in the config stays byte for byte.
    /// Null when there is no such list.
    /// </summary>
    private static string AddDiffId(string config, string digest)
    {
        int key = config.IndexOf("\"diff_ids\"");
        if (key < 0) return null;
        int open = key, close;
        while (open < config.Length && config[open] != '[') open++;
        for (close = open; close < config.Length && config[close] != ']'; close++) { }
        if (close >= config.Length) return null;
        bool empty = config.Substring(open + 1, close - open - 1).Trim().Length == 0;
        return config.Substring(0, close) + (empty ? "" : ",") + "\"" + digest + "\"" + config.Substring(close);
    }

    private static string Descriptor(string mediaType, string digest, long size) =>
        "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";

    private static byte[] Ascii(string text)
    {
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
        return bytes;
    }

    private static int Fail(string problem)
    {
        Console.Error("ctr commit: " + problem + "\n");
        return 1;
    }
}
