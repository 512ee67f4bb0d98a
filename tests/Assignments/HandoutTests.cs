using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Assignments;

/// <summary>The assignments and their documents agree: nothing graded without a handout, nothing handed out untested.</summary>
public class HandoutTests
{
    private static string[] AssignmentNames() =>
        Directory.GetDirectories(Repository.PathOf("assignments")).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void EveryAssignmentHasAHandoutChecksAReferenceSolutionAndTests()
    {
        string index = File.ReadAllText(Repository.PathOf("docs/assignments/README.md"));
        string[] tested = typeof(AssignmentTests).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(AssignmentTests)) && !type.IsAbstract)
            .Select(type => ((AssignmentTests)Activator.CreateInstance(type)!).Name).Order().ToArray();
        Assert.Equal(AssignmentNames(), tested);
        foreach (string name in AssignmentNames())
        {
            Assert.True(File.Exists(Repository.PathOf($"docs/assignments/{name}.md")), $"docs/assignments/{name}.md is missing");
            Assert.True(File.Exists(Repository.PathOf($"assignments/{name}/checks.sh")), $"assignments/{name}/checks.sh is missing");
            Assert.True(File.Exists(Repository.PathOf($"assignments/{name}/solution.patch")), $"assignments/{name}/solution.patch is missing");
            Assert.Contains($"({name}.md)", index);
        }
    }

    /// <summary>
    /// The scheduler assignment is about policy: a lottery is a new ISchedulingPolicy, and the
    /// mechanism (locking, switching, sleeping, joining) stays as it is. If the reference patch had to
    /// change the Scheduler class (kernel/Sched/Scheduler*.cs), the policy interface would be missing
    /// something a policy needs.
    /// </summary>
    [Fact]
    public void LotteryPatchLeavesTheSchedulingMechanismAlone()
    {
        string[] touched = File.ReadAllLines(Repository.PathOf("assignments/scheduler/solution.patch"))
            .Where(line => line.StartsWith("diff --git "))
            .ToArray();
        Assert.Contains(touched, line => line.Contains("kernel/Sched/LotteryPolicy.cs"));
        Assert.DoesNotContain(touched, line => line.Contains("kernel/Sched/Scheduler"));
    }

    /// <summary>
    /// The add-a-syscall handout claims a newcomer can follow it alone. Its reference patch is what
    /// following it produces, so every line the patch adds must be in the handout, to be copied.
    /// </summary>
    [Fact]
    public void AddASyscallHandoutShowsEveryLineOfItsPatch()
    {
        string handout = File.ReadAllText(Repository.PathOf("docs/assignments/add-a-syscall.md"));
        string[] added = File.ReadAllLines(Repository.PathOf("assignments/add-a-syscall/solution.patch"))
            .Where(line => line.StartsWith('+') && !line.StartsWith("+++"))
            .Select(line => line.Substring(1).Trim())
            .Where(line => line.Length > 0)
            .ToArray();
        string[] missing = added.Where(line => !handout.Contains(line, StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "lines of the patch that the handout does not show:\n" + string.Join('\n', missing));
    }

    /// <summary>
    /// The handout shows the boot log after step 3, with the initrd's file count: every regular file of
    /// the initrd the build made (build/initrd.tar: the programs, userland/Files, the guests, the
    /// container images), and the programs the patch adds (uname). Adding a file anywhere changes it.
    /// </summary>
    [Fact]
    public void AddASyscallHandoutCountsTheInitrdsFiles()
    {
        string handout = File.ReadAllText(Repository.PathOf("docs/assignments/add-a-syscall.md"));
        int files = 0;
        using (var reader = new System.Formats.Tar.TarReader(File.OpenRead(Repository.PathOf("build/initrd.tar"))))
            for (var entry = reader.GetNextEntry(); entry != null; entry = reader.GetNextEntry())
                if (entry.EntryType is System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile) files++;
        string[] patch = File.ReadAllLines(Repository.PathOf("assignments/add-a-syscall/solution.patch"));
        int added = patch.Where((line, i) => i > 0 && patch[i - 1] == "--- /dev/null"
            && line.StartsWith("+++ b/userland/Programs/", StringComparison.Ordinal) && line.EndsWith(".cs", StringComparison.Ordinal)).Count();
        int expected = files + added;
        Assert.True(handout.Contains($"initrd: {expected} files", StringComparison.Ordinal),
            $"docs/assignments/add-a-syscall.md should show \"initrd: {expected} files\" ({files} files in build/initrd.tar, {added} added by the patch)");
    }
}
