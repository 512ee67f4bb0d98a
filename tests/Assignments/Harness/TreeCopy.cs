using System.Diagnostics;
using TeachOS.Tests.Integration.Harness;
using Xunit.Sdk;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// A copy of the checkout's tracked files (as they are in the working tree) in the system's
/// temporary folder, with a patch applied: what a student's tree looks like once the work is done.
/// Build outputs are not tracked, so the copy builds from scratch. Deleted when disposed.
/// </summary>
public sealed class TreeCopy : IDisposable
{
    public string Root { get; }

    private TreeCopy(string root) => Root = root;

    /// <summary>Copies the tracked files and applies <paramref name="patch"/> (a path in the checkout) with git apply.</summary>
    public static TreeCopy WithPatch(string patch) =>
        Make(Path.Combine(Path.GetTempPath(), $"teachos-{Path.GetFileName(Path.GetDirectoryName(patch))}-{Guid.NewGuid():N}"), patch);

    /// <summary>Copies the tracked files into <paramref name="root"/> (a new folder), and applies <paramref name="patch"/> if there is one.</summary>
    public static TreeCopy Make(string root, string? patch)
    {
        var copy = new TreeCopy(root);
        try
        {
            foreach (string file in TrackedFiles())
            {
                string source = Repository.PathOf(file);
                if (!File.Exists(source)) continue;                 // deleted in the working tree
                string target = Path.Combine(copy.Root, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);                          // keeps the mode: the scripts stay executable
            }
            if (patch != null) copy.Git("apply", Repository.PathOf(patch));
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    private static IEnumerable<string> TrackedFiles()
    {
        string listing = Git(Repository.Root, "ls-files", "-z");
        return listing.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    private void Git(params string[] arguments) => Git(Root, arguments);

    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process git = Process.Start(start)!;
        Task<string> error = git.StandardError.ReadToEndAsync();
        string output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0) throw new XunitException($"git {string.Join(' ', arguments)} failed in {directory}:\n{error.Result}");
        return output;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
