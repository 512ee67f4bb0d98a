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
/// testing). One class per assignment, so that xunit runs the assignments side by side (each
/// class is a collection).
/// </summary>
public abstract class AssignmentTests
{
    protected AssignmentTests(string name) => Name = name;

    public string Name { get; }

    [Fact]
    public void StartingPointScoresBelowFull()
    {
        GradeResult result = Grader.Grade(Repository.Root, Name);
        ScoreMatrix.Record(Name, "starting-tree", result);
        Assert.True(result.Total > 0 && result.Score < result.Total,
            $"make grade A={Name} on the tree as it is should score below full\n{result.Describe()}");
        ResultsSchema.AssertValid(result);
    }

    [Fact]
    public void ReferenceSolutionScoresFull()
    {
        using TreeCopy copy = TreeCopy.WithPatch($"assignments/{Name}/solution.patch");
        GradeResult result = Grader.Grade(copy.Root, Name);
        ScoreMatrix.Record(Name, "solution", result);
        Assert.True(result.Total > 0 && result.Score == result.Total,
            $"make grade A={Name} with assignments/{Name}/solution.patch applied should score full\n{result.Describe()}");
        ResultsSchema.AssertValid(result);
    }

    [Theory]
    [WrongSolutions]
    public void WrongSolutionScoresBelowFull(string patch)
    {
        string bug = WrongSolutionsAttribute.DescriptionOf(patch);
        Assert.True(File.ReadLines(Repository.PathOf(patch)).First().StartsWith("# ", StringComparison.Ordinal),
            $"{patch} should start with \"# \" and a one-line description of its bug");
        using TreeCopy copy = TreeCopy.WithPatch(patch);
        GradeResult result = Grader.Grade(copy.Root, Name);
        ScoreMatrix.Record(Name, "wrong/" + Path.GetFileNameWithoutExtension(patch), result);
        Assert.True(result.Total > 0 && result.Score < result.Total,
            $"make grade A={Name} with {patch} applied should score below full: it has a bug the grader must catch:\n" +
            $"  {bug}\n{result.Describe()}");
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
