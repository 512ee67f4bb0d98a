using System.Collections.Concurrent;
using System.Diagnostics;
using TeachOS.Tests.Integration.Harness;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// The gradings an assignment's tests need, started together. xunit runs the tests of one class one
/// after another, so a lab with eight wrong solutions would grade them one at a time, and the run
/// would end with that lab's tests alone on the machine. Instead, before a lab's class runs,
/// <see cref="LabGradingOrder"/> hands this class the tests xunit selected, and each one's grading
/// starts at once, waiting for a <see cref="GradingSlots">slot</see>: the wrong solutions of one lab
/// grade side by side, each in its own tree copy built on the reference's build. Each test then waits
/// for its own grading and checks its score. Every grading is what it was: a copy with the patches
/// applied, built, booted in QEMU and scored by tools/grade.sh.
/// </summary>
public static class LabGradings
{
    /// <summary>The gradings of one lab: the starting point, the reference, each wrong solution (by patch), the tree itself.</summary>
    public const string StartingPoint = "starting-tree", Reference = "solution", TreeWithFeature = "tree-with-feature";

    private static readonly ConcurrentDictionary<(string Lab, string Grading), Lazy<Task<TimedGrade>>> Started = new();

    /// <summary>Starts the named gradings of <paramref name="lab"/> (each at most once in a run).</summary>
    public static void Start(string lab, IEnumerable<string> gradings)
    {
        foreach (string grading in gradings) _ = Of(lab, grading);
    }

    /// <summary>
    /// The grading of <paramref name="grading"/> (<see cref="StartingPoint"/>, <see cref="Reference"/>,
    /// <see cref="TreeWithFeature"/> or a wrong solution's patch), started now if it was not.
    /// </summary>
    public static Task<TimedGrade> Of(string lab, string grading) =>
        Started.GetOrAdd((lab, grading), key => new Lazy<Task<TimedGrade>>(() => GradeAndRecord(key.Lab, key.Grading))).Value;

    /// <summary>
    /// Grades, and adds the result to the graders' matrix as soon as it is known (<see cref="ScoreMatrix"/>),
    /// not when its test gets to it: a run stopped half way still shows what it graded.
    /// </summary>
    private static async Task<TimedGrade> GradeAndRecord(string lab, string grading)
    {
        TimedGrade grade = await Grade(lab, grading).ConfigureAwait(false);
        ScoreMatrix.Record(lab, grading is StartingPoint or Reference or TreeWithFeature ? grading : "wrong/" + Path.GetFileNameWithoutExtension(grading), grade);
        return grade;
    }

    private static async Task<TimedGrade> Grade(string lab, string grading)
    {
        switch (grading)
        {
            case StartingPoint:
                return await GradingSlots.Run(() =>
                {
                    var copying = Stopwatch.StartNew();
                    using TreeCopy? copy = TreeCopy.StartPatchOf(lab) == null ? null : TreeCopy.ForLab(lab, patch: null);
                    TimeSpan copied = copying.Elapsed;
                    return new TimedGrade(Grader.Grade(copy?.Root ?? Repository.Root, lab), copied, TimeSpan.Zero);
                }).ConfigureAwait(false);
            case TreeWithFeature:
                return await GradingSlots.Run(() => new TimedGrade(Grader.Grade(Repository.Root, lab), TimeSpan.Zero, TimeSpan.Zero)).ConfigureAwait(false);
            case Reference:
                ReferenceBuild reference = await ReferenceBuilds.Of(lab).ConfigureAwait(false);
                return await GradingSlots.Run(() => new TimedGrade(Grader.Grade(reference.Copy.Root, lab), reference.Copied, reference.Built)).ConfigureAwait(false);
            default:
                TreeCopy? basis = await ReferenceBuilds.BasisFor(lab).ConfigureAwait(false);
                return await GradingSlots.Run(() =>
                {
                    var copying = Stopwatch.StartNew();
                    using TreeCopy copy = TreeCopy.ForLab(lab, grading, basis: basis);
                    TimeSpan copied = copying.Elapsed;
                    return new TimedGrade(Grader.Grade(copy.Root, lab), copied, TimeSpan.Zero);
                }).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// A grade and where its time went besides the grader's own build and boots: making the tree copy,
/// and building it before the grader ran (the reference's copy is built once, for the wrong solutions too).
/// </summary>
public sealed record TimedGrade(GradeResult Result, TimeSpan Copy, TimeSpan BuildBefore);
