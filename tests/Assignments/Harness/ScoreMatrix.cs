using System.Text.RegularExpressions;
using TeachOS.Tests.Integration.Harness;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// Every score the assignment tests saw, one line each, in build/grade-matrix.txt: the grader's
/// matrix (each lab on the starting tree, with the reference and with each known-wrong solution),
/// which tools/test.sh prints after the assignments' tests, so that a run of `make test` shows
/// by how much each wrong solution misses, not only that it does. Each line also says where the
/// grading's time went: making the tree copy, building it (before the grader, for a reference, or
/// the grader's own `make kernel`), and the boots, with how many there were (tools/grade.sh prints
/// "built in Ns" and, for each boot, "ended after Ns"); tools/test.sh adds them up.
/// </summary>
public static partial class ScoreMatrix
{
    private static readonly object Lock = new();

    public static string File => Repository.PathOf("build/grade-matrix.txt");

    /// <summary>Adds "ASSIGNMENT  SOLUTION  Score: x/y  copy Cs build Bs boots Ts (N)" (SOLUTION: starting-tree, solution, wrong/NAME, or tree-with-feature for a lab with a start patch).</summary>
    public static void Record(string assignment, string solution, TimedGrade grade)
    {
        GradeResult result = grade.Result;
        int built = (int)grade.BuildBefore.TotalSeconds + BuildLine().Matches(result.Output).Sum(match => int.Parse(match.Groups[1].Value));
        var boots = BootLine().Matches(result.Output).Select(match => int.Parse(match.Groups[1].Value)).ToList();
        lock (Lock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(File)!);
            System.IO.File.AppendAllText(File, $"{assignment,-14} {solution,-32} Score: {result.Score}/{result.Total}".PadRight(64) +
                $" copy {(int)grade.Copy.TotalSeconds,3}s build {built,4}s boots {boots.Sum(),4}s ({boots.Count})\n");
        }
    }

    [GeneratedRegex(@"^== .*: built in (\d+)s$", RegexOptions.Multiline)]
    private static partial Regex BuildLine();

    [GeneratedRegex(@"^   ended after (\d+)s: ", RegexOptions.Multiline)]
    private static partial Regex BootLine();
}
