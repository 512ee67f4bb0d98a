using TeachOS.Tests.Assignments.Harness;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Assignments;

/// <summary>
/// Every assignment's grader, three ways. On the tree as it is, where the assignment's syscalls are
/// missing (they answer -ENOSYS), the grader must score below full: it can tell the work is not
/// done. On a copy with the reference solution applied, it must score full: the work can be done,
/// as the handout says, and the grader recognises it. Both ways, the results.json the grader writes
/// (FORMAT=json, for Gradescope) must follow docs/assignments/results.schema.json and agree with
/// the Score line. And on a copy with each known-wrong solution applied (assignments/NAME/wrong/*.patch,
/// the reference with one bug a student might make), it must score below full: the grader tells a
/// wrong solution from a right one, which passing the reference alone does not show (mutation
/// testing). One class per assignment. The gradings a class's tests need all start when xunit
/// reaches the class (<see cref="LabGradings"/>), and run side by side with every other lab's, as
/// many at once as <see cref="GradingSlots"/> allows; each test waits for its own. The copies build
/// incrementally: the reference's from the checkout's build, each wrong solution's from the
/// reference's (<see cref="ReferenceBuilds"/>, TreeCopyTests).
///
/// A lab whose feature the tree already has (bigfile's double-indirect block, symlink's links) has
/// assignments/NAME/start.patch, which takes the feature out: its starting point, what a student's
/// checkout holds after `make lab-start`, is a copy with start.patch applied, and its reference and
/// wrong solutions are patches on top of that. For such a lab a fourth test grades the tree itself,
/// which has the feature, and wants full marks: the tree and the reference agree, so the start patch
/// takes out what the lab asks for and nothing the grader cannot see.
/// </summary>
public abstract class AssignmentTests
{
    protected AssignmentTests(string name) => Name = name;

    public string Name { get; }

    /// <summary>assignments/NAME/start.patch, or null when the lab starts from the tree as it is.</summary>
    public string? StartPatch => TreeCopy.StartPatchOf(Name);

    [Fact]
    public async Task StartingPointScoresBelowFull()
    {
        GradeResult result = (await LabGradings.Of(Name, LabGradings.StartingPoint)).Result;
        Assert.True(result.Total > 0 && result.Score < result.Total,
            (StartPatch == null ? $"make grade A={Name} on the tree as it is" : $"make grade A={Name} with {StartPatch} applied (the lab's starting point)") +
            $" should score below full\n{result.Describe()}");
        ResultsSchema.AssertValid(result);
    }

    [Fact]
    public async Task ReferenceSolutionScoresFull()
    {
        GradeResult result = (await LabGradings.Of(Name, LabGradings.Reference)).Result;
        Assert.True(result.Total > 0 && result.Score == result.Total,
            $"make grade A={Name} with {(StartPatch == null ? "" : StartPatch + " and ")}assignments/{Name}/solution.patch applied should score full\n{result.Describe()}");
        ResultsSchema.AssertValid(result);
    }

    [Theory]
    [WrongSolutions]
    public async Task WrongSolutionScoresBelowFull(string patch)
    {
        string bug = WrongSolutionsAttribute.DescriptionOf(patch);
        Assert.True(File.ReadLines(Repository.PathOf(patch)).First().StartsWith("# ", StringComparison.Ordinal),
            $"{patch} should start with \"# \" and a one-line description of its bug");
        GradeResult result = (await LabGradings.Of(Name, patch)).Result;
        Assert.True(result.Total > 0 && result.Score < result.Total,
            $"make grade A={Name} with {(StartPatch == null ? "" : StartPatch + " and ")}{patch} applied should score below full: it has a bug the grader must catch:\n" +
            $"  {bug}\n{result.Describe()}");
        ResultsSchema.AssertValid(result);
    }
}

/// <summary>
/// A lab with a start.patch: besides the three ways above, the tree itself, which has the feature,
/// must score full (the start patch takes out what the grader tests, and only that).
/// </summary>
public abstract class StartPatchedAssignmentTests(string name) : AssignmentTests(name)
{
    [Fact]
    public async Task TreeWithTheFeatureScoresFull()
    {
        Assert.True(StartPatch != null, $"{Name}'s class says the lab has assignments/{Name}/start.patch, and there is none");
        GradeResult result = (await LabGradings.Of(Name, LabGradings.TreeWithFeature)).Result;
        Assert.True(result.Total > 0 && result.Score == result.Total,
            $"make grade A={Name} on the tree as it is, which has the feature {StartPatch} takes out, should score full\n{result.Describe()}");
        ResultsSchema.AssertValid(result);
    }
}

public sealed class AddASyscall() : AssignmentTests("add-a-syscall");

public sealed class Trace() : AssignmentTests("trace");

public sealed class SysInfo() : AssignmentTests("sysinfo");

public sealed class Backtrace() : AssignmentTests("backtrace");

public sealed class Alarm() : AssignmentTests("alarm");

public sealed class Scheduler() : AssignmentTests("scheduler");

public sealed class Cow() : AssignmentTests("cow");

public sealed class Pgtbl() : AssignmentTests("pgtbl");

public sealed class Mmap() : AssignmentTests("mmap");

public sealed class Bigfile() : StartPatchedAssignmentTests("bigfile");

public sealed class Symlink() : StartPatchedAssignmentTests("symlink");

public sealed class Crash() : StartPatchedAssignmentTests("crash");

public sealed class Perms() : StartPatchedAssignmentTests("perms");

public sealed class Overlay() : StartPatchedAssignmentTests("overlay");

public sealed class Net() : StartPatchedAssignmentTests("net");

public sealed class Sockets() : StartPatchedAssignmentTests("sockets");
