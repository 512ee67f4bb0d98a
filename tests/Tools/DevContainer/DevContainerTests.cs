using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using TeachOS.Tests.Tools.SchedTrace;
using Xunit;

namespace TeachOS.Tests.Tools.DevContainer;

/// <summary>
/// The dev container (.devcontainer/) and a plain Debian machine (tools/setup.sh) must install the same
/// packages, from the one list tools/packages.txt, and devcontainer.json must be what VS Code and
/// Codespaces can open. (Building the image itself is tools/check-devcontainer.sh's job, in make test.)
/// </summary>
public class DevContainerTests
{
    private static readonly string Root = Traces.RepositoryRoot();

    private static string Read(string path) => File.ReadAllText(Path.Combine(Root, path));

    private static List<string> ListedPackages() =>
        Read("tools/packages.txt").Split('\n')
            .Select(line => Regex.Replace(line, "#.*", "").Trim())
            .Where(name => name.Length > 0)
            .ToList();

    [Fact]
    public void SetupScriptInstallsExactlyThePackageList()
    {
        var start = new ProcessStartInfo("sh", "tools/setup.sh --list")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var setup = Process.Start(start)!;
        string output = setup.StandardOutput.ReadToEnd();
        setup.WaitForExit();
        Assert.Equal(0, setup.ExitCode);
        Assert.Equal(ListedPackages(), output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList());
    }

    [Fact]
    public void TheListIsTheOnlyPlaceAPackageIsNamed()
    {
        string dockerfile = Read(".devcontainer/Dockerfile");
        string setup = Read("tools/setup.sh");
        Assert.Contains("COPY tools/packages.txt /tmp/teachos-packages.txt", dockerfile);
        Assert.Contains("$(sed -e 's/#.*//' /tmp/teachos-packages.txt)", dockerfile);
        foreach (string package in ListedPackages())
        {
            // Named only through the list: a name written into either file by hand could drift from it.
            Assert.DoesNotMatch($@"(^|\s){Regex.Escape(package)}(\s|$)", Regex.Replace(dockerfile, "#.*", ""));
            Assert.DoesNotMatch($@"(^|\s){Regex.Escape(package)}(\s|$)", Regex.Replace(setup, "#.*", ""));
        }
    }

    [Fact]
    public void EveryListedPackageIsADebianPackageName()
    {
        var names = ListedPackages();
        Assert.NotEmpty(names);
        foreach (string name in names) Assert.Matches("^[a-z0-9][a-z0-9+.-]+$", name);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void DevContainerJsonHasWhatVsCodeNeeds()
    {
        // VS Code reads devcontainer.json as JSON with comments and trailing commas.
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        using var json = JsonDocument.Parse(Read(".devcontainer/devcontainer.json"), options);
        JsonElement config = json.RootElement;

        Assert.False(string.IsNullOrWhiteSpace(config.GetProperty("name").GetString()));
        JsonElement build = config.GetProperty("build");
        string dockerfile = build.GetProperty("dockerfile").GetString()!;
        Assert.True(File.Exists(Path.Combine(Root, ".devcontainer", dockerfile)), $"no .devcontainer/{dockerfile}");
        string context = build.GetProperty("context").GetString()!;
        Assert.True(File.Exists(Path.Combine(Root, ".devcontainer", context, "TeachOS.sln")), "the build context is not the repository");

        var extensions = config.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions")
            .EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ms-dotnettools.csharp", extensions);        // C#
        Assert.Contains("ms-vscode.cpptools", extensions);           // GDB front end

        // The gdbstub port the Makefile derives from the user id (uid % 5000 + 25000), for remoteUser root.
        Assert.Equal("root", config.GetProperty("remoteUser").GetString());
        var ports = config.GetProperty("forwardPorts").EnumerateArray().Select(p => p.GetInt32()).ToList();
        Assert.Contains(25000, ports);
        Assert.Contains(5900, ports);                                 // make run VNC=1
        Assert.Matches(@"GDBPORT\s*:= \$\(shell expr `id -u` % 5000 \+ 25000\)", Read("Makefile"));
    }
}
