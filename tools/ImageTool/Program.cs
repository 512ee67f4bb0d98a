using TeachOS.Tools.ImageTool;

// ImageTool build RECIPE OUTPUT_DIR | ImageTool hostile KIND OUTPUT_DIR (docs/tools/images.md).
const string Usage = "usage: ImageTool build RECIPE OUTPUT_DIR\n       ImageTool hostile KIND OUTPUT_DIR   (KIND: {0})";
try
{
    if (args.Length == 3 && args[0] == "build")
    {
        Recipe recipe = Recipe.Parse(File.ReadAllText(args[1]), Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
        Descriptor manifest = ImageBuilder.Build(recipe, args[2]);
        ImageLayout.Image image = ImageLayout.Read(args[2]);
        Console.WriteLine($"image {recipe.Name}: {args[2]}, manifest {manifest.Digest}, {image.Layers.Count} layers");
        foreach (Descriptor layer in image.Layers) Console.WriteLine($"  layer {layer.Digest} {layer.Size} bytes");
        return 0;
    }
    if (args.Length == 3 && args[0] == "hostile")
    {
        HostileImages.Build(args[1], args[2]);
        Console.WriteLine($"hostile image {args[1]}: {args[2]}");
        return 0;
    }
    Console.Error.WriteLine(string.Format(Usage, string.Join(", ", HostileImages.Kinds)));
    return 2;
}
catch (Exception e) when (e is ImageToolException or IOException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"ImageTool: {e.Message}");
    return 1;
}
