using System.Text.Json.Nodes;

namespace TeachOS.Tools.ImageTool;

/// <summary>
/// Builds an image from a recipe: the base image's layers (reused blob for blob: same bytes, same digest),
/// then one layer per `layer` directory, then the configuration (the base's, with the recipe's changes)
/// and the manifest. What an image is comes out plainly: an ordered list of read-only layers and a small
/// JSON file saying what to run in them.
/// </summary>
public static class ImageBuilder
{
    public static Descriptor Build(Recipe recipe, string outputDirectory)
    {
        if (Directory.Exists(outputDirectory)) Directory.Delete(outputDirectory, recursive: true);
        Directory.CreateDirectory(outputDirectory);

        var layers = new List<Descriptor>();
        JsonObject config = NewConfig();
        if (recipe.From != null)
        {
            ImageLayout.Image baseImage = ImageLayout.Read(recipe.From);
            foreach (Descriptor layer in baseImage.Layers)
                layers.Add(ImageLayout.WriteBlob(outputDirectory, layer.MediaType, ImageLayout.ReadBlob(recipe.From, layer.Digest)));
            config = (JsonObject)baseImage.Config.DeepClone();
        }
        foreach (string directory in recipe.LayerDirectories)
            layers.Add(ImageLayout.WriteBlob(outputDirectory, ImageLayout.LayerType, LayerTar.FromDirectory(directory)));

        JsonObject run = config["config"]!.AsObject();
        if (recipe.Entrypoint != null) run["Entrypoint"] = Strings(recipe.Entrypoint);
        if (recipe.Cmd != null) run["Cmd"] = Strings(recipe.Cmd);
        if (recipe.Env.Count > 0)
        {
            JsonArray env = run["Env"]?.AsArray() ?? new JsonArray();
            foreach (string variable in recipe.Env) env.Add(variable);
            run["Env"] = env;
        }
        if (recipe.WorkingDir != null) run["WorkingDir"] = recipe.WorkingDir;
        if (recipe.Hostname != null) run["Hostname"] = recipe.Hostname;
        return ImageLayout.WriteImage(outputDirectory, recipe.Name, config, layers);
    }

    /// <summary>
    /// The configuration's skeleton (image-spec config.md): TeachOS keeps `config` with Entrypoint, Cmd, Env
    /// and WorkingDir as OCI has them, and adds Hostname (Docker's old container configuration had it), the
    /// UTS name a container starts with.
    /// </summary>
    public static JsonObject NewConfig() => new()
    {
        ["architecture"] = "amd64",
        ["os"] = "teachos",
        ["config"] = new JsonObject(),
    };

    private static JsonArray Strings(string[] words)
    {
        var array = new JsonArray();
        foreach (string word in words) array.Add(word);
        return array;
    }
}
