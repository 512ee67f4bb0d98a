using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TeachOS.Tools.ImageTool;
using Xunit;

namespace TeachOS.Tests.Tools.ImageTool;

/// <summary>
/// tools/ImageTool: a recipe becomes an OCI image layout whose every blob is named by its SHA-256; layers
/// are reproducible (same tree, same digest), so an image built `from` another shares its layers blob for
/// blob; whiteouts go in as files; the hostile images are each broken in exactly the way their name says.
/// </summary>
public sealed class ImageBuilderTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("imagetool-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private string Tree(string name, params (string Path, string Text)[] files)
    {
        string root = Path.Combine(scratch, name);
        foreach ((string path, string text) in files)
        {
            string full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return root;
    }

    private string Build(string recipeText, string name)
    {
        File.WriteAllText(Path.Combine(scratch, name + ".recipe"), recipeText);
        string output = Path.Combine(scratch, "out-" + name);
        ImageBuilder.Build(Recipe.Parse(recipeText, scratch), output);
        return output;
    }

    [Fact]
    public void EveryBlobIsNamedByItsDigestAndTheChainHolds()
    {
        Tree("rootfs", ("bin/hello", "program"), ("etc/motd", "hi\n"));
        string image = Build("name base\nlayer rootfs\ncmd sh -c true\nworkdir /\nhostname box\n", "base");

        foreach (string blob in Directory.GetFiles(Path.Combine(image, "blobs", "sha256")))
            Assert.Equal(Path.GetFileName(blob), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(blob))));
        ImageLayout.Image read = ImageLayout.Read(image);
        Assert.Equal("base", read.Name);
        Assert.Single(read.Layers);
        Assert.Equal(ImageLayout.LayerType, read.Layers[0].MediaType);
        JsonObject run = read.Config["config"]!.AsObject();
        Assert.Equal(new[] { "sh", "-c", "true" }, run["Cmd"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("box", run["Hostname"]!.GetValue<string>());
        Assert.Equal(read.Layers[0].Digest, read.Config["rootfs"]!["diff_ids"]![0]!.GetValue<string>());
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", File.ReadAllText(Path.Combine(image, "oci-layout")));
    }

    [Fact]
    public void TheLayerTarHoldsTheTreeRootOwnedAndSorted()
    {
        Tree("rootfs", ("b.txt", "bee"), ("a/inner.txt", "in"), ("a/.wh.gone", ""));
        string image = Build("name t\nlayer rootfs\n", "t");
        byte[] layer = ImageLayout.ReadBlob(image, ImageLayout.Read(image).Layers[0].Digest);
        var names = new List<string>();
        using var reader = new TarReader(new MemoryStream(layer));
        while (reader.GetNextEntry() is TarEntry entry)
        {
            names.Add(entry.Name);
            Assert.Equal(0, entry.Uid);
            Assert.Equal(TarEntryFormat.Ustar, entry.Format);
        }
        Assert.Equal(new[] { "a/", "a/.wh.gone", "a/inner.txt", "b.txt" }, names);
    }

    [Fact]
    public void SameTreeSameDigestAndFromSharesTheBaseLayers()
    {
        Tree("rootfs", ("bin/sh", "shell"));
        Tree("extra", ("etc/app.txt", "app"));
        string first = Build("name base\nlayer rootfs\ncmd sh\n", "base");
        string again = Build("name base2\nlayer rootfs\n", "base2");
        Assert.Equal(ImageLayout.Read(first).Layers[0].Digest, ImageLayout.Read(again).Layers[0].Digest);

        string app = Build($"name app\nfrom out-base\nlayer extra\ncmd cat /etc/app.txt\n", "app");
        ImageLayout.Image read = ImageLayout.Read(app);
        Assert.Equal(2, read.Layers.Count);
        Assert.Equal(ImageLayout.Read(first).Layers[0].Digest, read.Layers[0].Digest);
        Assert.Equal(new[] { "cat", "/etc/app.txt" }, read.Config["config"]!["Cmd"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void RecipeMistakesAreRefusedByLine()
    {
        Assert.Contains("line 2", Assert.Throws<ImageToolException>(() => Recipe.Parse("name x\ncopy a b\n", scratch)).Message);
        Assert.Contains("no `name`", Assert.Throws<ImageToolException>(() => Recipe.Parse("layer x\n", scratch)).Message);
        Assert.Contains("no such directory", Assert.Throws<ImageToolException>(() => Build("name x\nlayer missing\n", "x")).Message);
    }

    [Theory]
    [InlineData("dotdot", "../escaped.txt")]
    [InlineData("absolute", "/etc/escaped.txt")]
    public void HostileNamesAreInTheArchiveAsTheirKindSays(string kind, string expectedName)
    {
        string image = Path.Combine(scratch, kind);
        HostileImages.Build(kind, image);
        ImageLayout.Image read = ImageLayout.Read(image);       // honest digests: only the names are wrong
        Assert.Equal(2, read.Layers.Count);
        using var reader = new TarReader(new MemoryStream(ImageLayout.ReadBlob(image, read.Layers[1].Digest)));
        Assert.Equal(expectedName, reader.GetNextEntry()!.Name);
    }

    [Fact]
    public void WrongDigestIsTheOnlyOneWhoseBlobLies()
    {
        string image = Path.Combine(scratch, "wrong");
        HostileImages.Build("wrong-digest", image);
        ImageLayout.Image wrong = ImageLayout.Read(image);       // index, manifest and config are honest
        ImageLayout.ReadBlob(image, wrong.Layers[0].Digest);     // so is the first layer
        Assert.Contains("does not match", Assert.Throws<ImageToolException>(() => ImageLayout.ReadBlob(image, wrong.Layers[1].Digest)).Message);
        string truncated = Path.Combine(scratch, "truncated");
        HostileImages.Build("truncated", truncated);
        ImageLayout.Image read = ImageLayout.Read(truncated);
        Assert.Equal(512 + 1000, read.Layers[1].Size);
    }

    [Fact]
    public void MissingBlobIsNamedButAbsent()
    {
        string image = Path.Combine(scratch, "missing");
        HostileImages.Build("missing-blob", image);
        JsonObject index = JsonNode.Parse(File.ReadAllText(Path.Combine(image, "index.json")))!.AsObject();
        string manifestDigest = index["manifests"]![0]!["digest"]!.GetValue<string>();
        JsonObject manifest = JsonNode.Parse(ImageLayout.ReadBlob(image, manifestDigest))!.AsObject();
        string gone = manifest["layers"]![1]!["digest"]!.GetValue<string>();
        Assert.False(File.Exists(ImageLayout.BlobPath(image, gone)));
    }

    [Fact]
    public void UnknownHostileKindIsRefused() =>
        Assert.Throws<ImageToolException>(() => HostileImages.Build("nonsense", Path.Combine(scratch, "n")));
}
