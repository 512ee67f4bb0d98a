using System.Diagnostics;
using TeachOS.Tests.Integration.Harness;
using Xunit.Sdk;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// A copy of the checkout's tracked files (as they are in the working tree) in the system's
/// temporary folder, with a patch applied: what a student's tree looks like once the work is done.
/// Build outputs come along (<see cref="BuildOutputs"/>), the checkout's or those of another copy,
/// its basis, so the copy's build redoes only what differs. Deleted when disposed.
/// </summary>
public sealed class TreeCopy : IDisposable
{
    public string Root { get; }

    /// <summary>The files copied and patched (paths relative to <see cref="Root"/>): the copy without its build outputs.</summary>
    public IReadOnlySet<string> SourceFiles { get; private set; } = new HashSet<string>();

    private TreeCopy(string root) => Root = root;

    /// <summary>Copies the tracked files and applies <paramref name="patches"/> (paths in the checkout), in order, with git apply.</summary>
    public static TreeCopy WithPatch(params string[] patches) => WithPatchOn(null, patches);

    /// <summary>As <see cref="WithPatch"/>, building on <paramref name="basis"/>'s build outputs if it is given.</summary>
    public static TreeCopy WithPatchOn(TreeCopy? basis, params string[] patches) => WithPatchIn(Path.GetTempPath(), basis, patches);

    /// <summary>As <see cref="WithPatchOn"/>, in a new folder under <paramref name="parent"/>.</summary>
    public static TreeCopy WithPatchIn(string parent, TreeCopy? basis, params string[] patches) =>
        Make(Path.Combine(parent, $"teachos-{Path.GetFileName(Path.GetDirectoryName(patches[^1]))}-{Guid.NewGuid():N}"), basis, patches);

    /// <summary>
    /// The lab's starting point (assignments/NAME/start.patch applied, for a lab that takes a feature
    /// out of the tree) with <paramref name="patch"/> on top, or the tree with the patch alone for a lab
    /// that starts from the tree. <paramref name="basis"/>: a copy whose build outputs to start from.
    /// </summary>
    public static TreeCopy ForLab(string assignment, string? patch, TreeCopy? basis = null, string? parent = null)
    {
        string? start = StartPatchOf(assignment);
        string[] patches = new[] { start, patch }.Where(p => p != null).ToArray()!;
        if (patches.Length == 0) throw new ArgumentException($"{assignment} has no start.patch and no patch was given: grade the checkout itself");
        return WithPatchIn(parent ?? Path.GetTempPath(), basis, patches);
    }

    /// <summary>assignments/NAME/start.patch if the lab has one (its starting point is the tree without a feature), else null.</summary>
    public static string? StartPatchOf(string assignment)
    {
        string start = $"assignments/{assignment}/start.patch";
        return File.Exists(Repository.PathOf(start)) ? start : null;
    }

    /// <summary>
    /// Copies the tracked files into <paramref name="root"/> (a new folder), each with its modification
    /// time, applies <paramref name="patches"/> in order (the files they write are then the newest),
    /// and copies the checkout's build outputs: make rebuilds what depends on the patched files.
    /// </summary>
    public static TreeCopy Make(string root, params string?[] patches) => Make(root, null, patches);

    /// <summary>
    /// As <see cref="Make(string, string?[])"/>, but with the build outputs of <paramref name="basis"/>,
    /// a copy built before (a lab's reference solution, when the copy is a wrong solution that differs
    /// from it in a file or two). Then each file takes the basis's time if its bytes are the basis's,
    /// and is newer than all the basis's outputs if not: make rebuilds exactly what differs from what
    /// the basis was built from. A basis with a file the copy lacks is not used (make does not notice
    /// a file gone: a deleted program would stay in the initrd); the checkout's outputs are.
    /// </summary>
    public static TreeCopy Make(string root, TreeCopy? basis, params string?[] patches)
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
            foreach (string? patch in patches)
                if (patch != null) copy.Git("apply", Repository.PathOf(patch));
            copy.SourceFiles = Directory.EnumerateFiles(copy.Root, "*", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(copy.Root, file)).ToHashSet();
            if (basis != null && basis.SourceFiles.IsSubsetOf(copy.SourceFiles))
            {
                copy.TakeTimesOf(basis);
                BuildOutputs.CopyInto(copy.Root, basis.Root);
            }
            else
            {
                BuildOutputs.CopyInto(copy.Root);
            }
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Each file the basis's time if it has the basis's bytes, else a time after everything the basis built.</summary>
    private void TakeTimesOf(TreeCopy basis)
    {
        DateTime now = DateTime.UtcNow;
        foreach (string file in SourceFiles)
        {
            string mine = Path.Combine(Root, file), theirs = Path.Combine(basis.Root, file);
            bool same = File.Exists(theirs) && File.ReadAllBytes(mine).AsSpan().SequenceEqual(File.ReadAllBytes(theirs));
            File.SetLastWriteTimeUtc(mine, same ? File.GetLastWriteTimeUtc(theirs) : now);
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
