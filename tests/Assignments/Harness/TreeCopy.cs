using System.Diagnostics;
using TeachOS.Tests.Integration.Harness;
using Xunit.Sdk;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// A copy of the checkout's tracked files (as they are in the working tree) in the system's
/// temporary folder, with a patch applied: what a student's tree looks like once the work is done.
/// The checkout's build outputs come along (<see cref="BuildOutputs"/>), so the copy's build redoes
/// only what the patch changes. Deleted when disposed.
/// </summary>
public sealed class TreeCopy : IDisposable
{
    public string Root { get; }

    private TreeCopy(string root) => Root = root;

    /// <summary>Copies the tracked files and applies <paramref name="patches"/> (paths in the checkout), in order, with git apply.</summary>
    public static TreeCopy WithPatch(params string[] patches) =>
        Make(Path.Combine(Path.GetTempPath(), $"teachos-{Path.GetFileName(Path.GetDirectoryName(patches[^1]))}-{Guid.NewGuid():N}"), patches);

    /// <summary>
    /// The lab's starting point (assignments/NAME/start.patch applied, for a lab that takes a feature
    /// out of the tree) with <paramref name="patch"/> on top, or the tree with the patch alone for a lab
    /// that starts from the tree.
    /// </summary>
    public static TreeCopy ForLab(string assignment, string? patch)
    {
        string? start = StartPatchOf(assignment);
        string[] patches = new[] { start, patch }.Where(p => p != null).ToArray()!;
        if (patches.Length == 0) throw new ArgumentException($"{assignment} has no start.patch and no patch was given: grade the checkout itself");
        return WithPatch(patches);
    }

    /// <summary>assignments/NAME/start.patch if the lab has one (its starting point is the tree without a feature), else null.</summary>
    public static string? StartPatchOf(string assignment)
    {
        string start = $"assignments/{assignment}/start.patch";
        return File.Exists(Repository.PathOf(start)) ? start : null;
    }

    /// <summary>
    /// Copies the tracked files and the build outputs into <paramref name="root"/> (a new folder), each
    /// with its modification time, then applies <paramref name="patches"/> in order: the files they
    /// write are then the newest, and make rebuilds what depends on them.
    /// </summary>
    public static TreeCopy Make(string root, params string?[] patches)
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
                File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(source));
            }
            BuildOutputs.CopyInto(copy.Root);
            foreach (string? patch in patches)
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
