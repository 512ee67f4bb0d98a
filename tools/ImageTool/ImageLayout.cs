using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TeachOS.Tools.ImageTool;

/// <summary>A content descriptor (OCI image-spec descriptor.md): what a blob is, its digest and its size.</summary>
public sealed record Descriptor(string MediaType, string Digest, long Size)
{
    public JsonObject ToJson() => new() { ["mediaType"] = MediaType, ["digest"] = Digest, ["size"] = Size };
}

/// <summary>
/// Writes and reads the OCI image layout (image-spec image-layout.md), the simplified subset TeachOS reads
/// (docs/tools/images.md): `oci-layout`, `index.json` naming one manifest, and every other file a blob
/// under `blobs/sha256/HEX`, named by the SHA-256 of its bytes. Content addressing is the point: a layer
/// two images share is one blob with one name, and a reader can check that each blob is what its
/// referrer says it is.
/// </summary>
public static class ImageLayout
{
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    public const string ConfigType = "application/vnd.oci.image.config.v1+json";
    public const string LayerType = "application/vnd.oci.image.layer.v1.tar";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public static string DigestOf(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string BlobPath(string imageDirectory, string digest) =>
        Path.Combine(imageDirectory, "blobs", "sha256", digest["sha256:".Length..]);

    /// <summary>Stores bytes as a blob (once: the name is the content) and describes them.</summary>
    public static Descriptor WriteBlob(string imageDirectory, string mediaType, byte[] bytes)
    {
        string digest = DigestOf(bytes);
        string path = BlobPath(imageDirectory, digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return new Descriptor(mediaType, digest, bytes.Length);
    }

    /// <summary>Serialises JSON the way every blob here is written: compact, so the digest is of what the reader reads.</summary>
    public static byte[] JsonBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node);

    /// <summary>
    /// Writes a whole image: the layers (already stored as blobs), the configuration, the manifest naming
    /// them, and index.json naming the manifest under the image's name. The directory is emptied first,
    /// so no blob of an earlier build lingers.
    /// </summary>
    public static Descriptor WriteImage(string imageDirectory, string name, JsonObject config, IReadOnlyList<Descriptor> layers)
    {
        var diffIds = new JsonArray();
        foreach (Descriptor layer in layers) diffIds.Add(layer.Digest); // uncompressed: the diff id is the digest
        config["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds };
        Descriptor configBlob = WriteBlob(imageDirectory, ConfigType, JsonBytes(config));
        var layerArray = new JsonArray();
        foreach (Descriptor layer in layers) layerArray.Add(layer.ToJson());
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestType,
            ["config"] = configBlob.ToJson(),
            ["layers"] = layerArray,
        };
        Descriptor manifestBlob = WriteBlob(imageDirectory, ManifestType, JsonBytes(manifest));
        WriteIndex(imageDirectory, name, manifestBlob);
        return manifestBlob;
    }

    public static void WriteIndex(string imageDirectory, string name, Descriptor manifest)
    {
        JsonObject entry = manifest.ToJson();
        entry["annotations"] = new JsonObject { [RefNameAnnotation] = name };
        var index = new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(entry) };
        File.WriteAllBytes(Path.Combine(imageDirectory, "index.json"), JsonBytes(index));
        File.WriteAllText(Path.Combine(imageDirectory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    /// <summary>An image read back: its manifest, configuration and layers (in order, bottom first).</summary>
    public sealed record Image(string Name, JsonObject Manifest, JsonObject Config, List<Descriptor> Layers);

    /// <summary>Reads an image this tool wrote (a `from` base), checking each blob's digest as TeachOS will.</summary>
    public static Image Read(string imageDirectory)
    {
        JsonObject index = ReadJson(Path.Combine(imageDirectory, "index.json"));
        JsonObject manifestEntry = index["manifests"]![0]!.AsObject();
        string name = manifestEntry["annotations"]?[RefNameAnnotation]?.GetValue<string>() ?? "";
        JsonObject manifest = ReadBlobJson(imageDirectory, manifestEntry["digest"]!.GetValue<string>());
        JsonObject config = ReadBlobJson(imageDirectory, manifest["config"]!["digest"]!.GetValue<string>());
        var layers = new List<Descriptor>();
        foreach (JsonNode? layer in manifest["layers"]!.AsArray())
            layers.Add(new Descriptor(layer!["mediaType"]!.GetValue<string>(), layer["digest"]!.GetValue<string>(), layer["size"]!.GetValue<long>()));
        return new Image(name, manifest, config, layers);
    }

    public static byte[] ReadBlob(string imageDirectory, string digest)
    {
        byte[] bytes = File.ReadAllBytes(BlobPath(imageDirectory, digest));
        if (DigestOf(bytes) != digest) throw new ImageToolException($"{imageDirectory}: blob {digest} does not match its digest");
        return bytes;
    }

    private static JsonObject ReadBlobJson(string imageDirectory, string digest) =>
        JsonNode.Parse(ReadBlob(imageDirectory, digest))!.AsObject();

    private static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
}
