using TeachOS.Tests.Integration.Harness;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// Every score the assignment tests saw, one line each, in build/grade-matrix.txt: the grader's
/// matrix (each lab on the starting tree, with the reference and with each known-wrong solution),
/// which tools/test.sh prints after the assignments' tests, so that a run of `make test` shows
/// by how much each wrong solution misses, not only that it does.
/// </summary>
public static class ScoreMatrix
{
    private static readonly object Lock = new();

    public static string File => Repository.PathOf("build/grade-matrix.txt");

    /// <summary>Adds "ASSIGNMENT  SOLUTION  Score: x/y" (SOLUTION: starting-tree, solution, wrong/NAME, or tree-with-feature for a lab with a start patch).</summary>
    public static void Record(string assignment, string solution, GradeResult result)
    {
        lock (Lock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(File)!);
            System.IO.File.AppendAllText(File, $"{assignment,-14} {solution,-32} Score: {result.Score}/{result.Total}\n");
        }
    }
}
