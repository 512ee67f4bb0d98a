namespace TeachOS.Tools.ImageTool;

/// <summary>
/// An image's recipe, one instruction a line (a small Dockerfile): `name NAME`, `from IMAGE_DIR` (start from
/// a built image: its layers and its configuration), `layer DIR` (the directory's tree becomes one layer on
/// top; a file named `.wh.NAME` in it is an OCI whiteout, hiding NAME of the layers below), `cmd WORD...`,
/// `entrypoint WORD...`, `env NAME=VALUE`, `workdir DIR`, `hostname NAME`. `#` starts a comment. Relative
/// paths are relative to the recipe's folder, so a recipe can live next to its layers.
/// </summary>
public sealed class Recipe
{
    public string Name = "";
    public string? From;
    public readonly List<string> LayerDirectories = new();
    public string[]? Cmd;
    public string[]? Entrypoint;
    public readonly List<string> Env = new();
    public string? WorkingDir;
    public string? Hostname;

    public static Recipe Parse(string text, string baseDirectory)
    {
        var recipe = new Recipe();
        int lineNumber = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] rest = words[1..];
            string Single() => rest.Length == 1 ? rest[0] : throw new ImageToolException($"recipe line {lineNumber}: `{words[0]}` takes one argument");
            switch (words[0])
            {
                case "name": recipe.Name = Single(); break;
                case "from": recipe.From = Path.Combine(baseDirectory, Single()); break;
                case "layer": recipe.LayerDirectories.Add(Path.Combine(baseDirectory, Single())); break;
                case "cmd": recipe.Cmd = rest; break;
                case "entrypoint": recipe.Entrypoint = rest; break;
                case "env": recipe.Env.Add(Single()); break;
                case "workdir": recipe.WorkingDir = Single(); break;
                case "hostname": recipe.Hostname = Single(); break;
                default: throw new ImageToolException($"recipe line {lineNumber}: unknown instruction `{words[0]}`");
            }
        }
        if (recipe.Name == "") throw new ImageToolException("recipe: no `name`");
        return recipe;
    }
}

/// <summary>A refusal the tool reports as one line and exit status 1 (a bad recipe, a missing directory).</summary>
public sealed class ImageToolException(string message) : Exception(message);
