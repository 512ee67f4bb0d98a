using System;
using TeachOS;

/// <summary>One layer of an image being imported: its digest and its archive's bytes, already checked.</summary>
public sealed class ImportedLayer
{
    public string Digest;
    public byte[] Archive;
    public int Length;
}

/// <summary>An image read from an OCI layout and checked from end to end, before anything is written.</summary>
public sealed class ImportedImage
{
    public string Name;
    public string ManifestDigest;
    public byte[] Manifest;
    public int ManifestLength;
    public byte[] Config;
    public int ConfigLength;
    public ImportedLayer[] Layers;
}

/// <summary>
/// Reads an image in the OCI image layout (image-spec image-layout.md; docs/tools/images.md) from a folder
/// or an archive of one (ImageSource.cs):
/// `index.json` names a manifest by digest; the manifest names the configuration and the layers by digest;
/// every one of them is a file `blobs/sha256/HEX`. Each blob is read whole, its size compared with its
/// descriptor's and its SHA-256 with its digest, so a corrupt or substituted blob is refused by name. The
/// chain of digests means index.json alone vouches for everything: change one byte of a layer and its
/// digest changes, so the manifest's no longer matches. Only uncompressed tar layers are taken.
/// </summary>
public static class ImageLayoutReader
{
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public static ImportedImage Read(string path, out string problem)
    {
        int length;
        ImageSource source = ImageSource.Open(path, out problem);
        if (source == null) return null;
        byte[] indexBytes = source.Read("index.json", out length, out problem);
        if (indexBytes == null) return null;
        string error;
        JsonValue index = JsonReader.Parse(indexBytes, length, out error);
        if (index == null) { problem = "index.json: malformed JSON: " + error; return null; }
        JsonValue manifests = index.ArrayMember("manifests");
        if (manifests == null || manifests.Count == 0) { problem = "index.json: no manifests"; return null; }
        JsonValue entry = manifests.Items[0];

        var image = new ImportedImage();
        JsonValue annotations = entry.Member("annotations");
        image.Name = annotations != null ? annotations.StringMember(RefNameAnnotation) : null;
        if (image.Name == null) image.Name = LastName(path);

        byte[] manifestBytes = ReadBlob(source, entry, "the manifest", out length, out image.ManifestDigest, out problem);
        if (manifestBytes == null) return null;
        image.Manifest = manifestBytes;
        image.ManifestLength = length;
        JsonValue manifest = JsonReader.Parse(manifestBytes, length, out error);
        if (manifest == null) { problem = "manifest " + image.ManifestDigest + ": malformed JSON: " + error; return null; }

        JsonValue configDescriptor = manifest.Member("config");
        if (configDescriptor == null) { problem = "manifest " + image.ManifestDigest + ": no config"; return null; }
        string configDigest;
        image.Config = ReadBlob(source, configDescriptor, "the config", out image.ConfigLength, out configDigest, out problem);
        if (image.Config == null) return null;
        if (JsonReader.Parse(image.Config, image.ConfigLength, out error) == null) { problem = "config " + configDigest + ": malformed JSON: " + error; return null; }

        JsonValue layers = manifest.ArrayMember("layers");
        if (layers == null || layers.Count == 0) { problem = "manifest " + image.ManifestDigest + ": no layers"; return null; }
        image.Layers = new ImportedLayer[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            string mediaType = layers.Items[i].StringMember("mediaType");
            if (mediaType != LayerMediaType)
            {
                problem = "layer " + i + ": media type " + (mediaType ?? "(none)") + ": only uncompressed tar layers (" + LayerMediaType + ") are taken";
                return null;
            }
            var layer = new ImportedLayer();
            layer.Archive = ReadBlob(source, layers.Items[i], "layer " + i, out layer.Length, out layer.Digest, out problem);
            if (layer.Archive == null) return null;
            image.Layers[i] = layer;
        }
        return image;
    }

    /// <summary>The blob a descriptor names, checked against the descriptor's size and digest.</summary>
    private static byte[] ReadBlob(ImageSource source, JsonValue descriptor, string what, out int length, out string digest, out string problem)
    {
        length = 0;
        problem = null;
        digest = descriptor.StringMember("digest");
        long size;
        JsonValue sizeValue = descriptor.Member("size");
        if (!Digests.IsWellFormed(digest)) { problem = what + ": digest " + (digest ?? "(none)") + " is not sha256: and 64 hex digits"; return null; }
        if (sizeValue == null || !sizeValue.TryGetLong(out size)) { problem = what + " " + digest + ": no size"; return null; }
        if (size > WholeFile.MaximumBytes) { problem = what + " " + digest + ": " + size + " bytes, more than the " + WholeFile.MaximumBytes + " a blob may have"; return null; }
        string name = "blobs/sha256/" + Digests.Hex(digest);
        if (!source.Exists(name)) { problem = what + " " + digest + ": the blob is missing (" + name + ")"; return null; }
        byte[] bytes = source.Read(name, out length, out problem);
        if (bytes == null) return null;
        if (length != size) { problem = what + " " + digest + ": " + length + " bytes where the descriptor says " + size; return null; }
        string actual = Digests.Of(bytes, length);
        if (actual != digest) { problem = what + ": digest mismatch: the descriptor says " + digest + ", the blob's bytes hash to " + actual; return null; }
        return bytes;
    }

    private static string LastName(string path)
    {
        while (path.Length > 1 && path[path.Length - 1] == '/') path = path.Substring(0, path.Length - 1);
        int slash = path.LastIndexOf('/');
        string name = slash >= 0 ? path.Substring(slash + 1) : path;
        return name.EndsWith(".tar") ? name.Substring(0, name.Length - 4) : name;
    }
}
