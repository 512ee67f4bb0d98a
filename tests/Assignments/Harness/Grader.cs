using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// What tools/grade.sh said: the score, everything it printed (with -v, the serial log too), and the
/// results.json it wrote (--format json).
/// </summary>
public sealed record GradeResult(int Score, int Total, string Output, string Json)
{
    public string Describe() =>
        $"Score: {Score}/{Total}\n----- grader output -----\n{Output}\n----- end of grader output -----\n" +
        $"----- results.json -----\n{Json}\n----- end of results.json -----";
}

/// <summary>Runs the grader, as `make grade A=NAME V=1 FORMAT=json` does, in a checkout (the repository or a copy).</summary>
public static partial class Grader
{
    // A build from scratch takes a few minutes on two idle cores; with three graders building side by
    // side on a loaded machine it has taken more than ten.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    public static GradeResult Grade(string root, string assignment)
    {
        string results = Path.Combine(Path.GetTempPath(), $"teachos-grade-{assignment}-{Guid.NewGuid():N}.json");
        try
        {
            return Grade(root, assignment, results);
        }
        finally
        {
            File.Delete(results);
        }
    }

    private static GradeResult Grade(string root, string assignment, string results)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "tools", "grade.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (string argument in new[] { "-v", "--format", "json", "--output", results, assignment })
            start.ArgumentList.Add(argument);
        string output = Run(start, Limit);
        Match score = ScoreLine().Match(output);
        if (!score.Success) throw new XunitException($"the grader printed no Score line\n{output}");
        if (!File.Exists(results)) throw new XunitException($"the grader wrote no {results}\n{output}");
        return new GradeResult(int.Parse(score.Groups[1].Value), int.Parse(score.Groups[2].Value), output, File.ReadAllText(results));
    }

    /// <summary>Runs a command to its end (or the time limit); returns what it printed, stdout and stderr merged.</summary>
    public static string Run(ProcessStartInfo start, TimeSpan limit) => RunWithStatus(start, limit).Output;

    /// <summary>As <see cref="Run"/>, with the exit status (-1 if it was stopped at the time limit).</summary>
    public static (int Status, string Output) RunWithStatus(ProcessStartInfo start, TimeSpan limit)
    {
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.StandardInput.Close();
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) => { if (line.Data != null) lock (output) output.Append(line.Data).Append('\n'); };
        process.ErrorDataReceived += (_, line) => { if (line.Data != null) lock (output) output.Append(line.Data).Append('\n'); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool stopped = !process.WaitForExit(limit);
        if (stopped)
        {
            process.Kill(entireProcessTree: true);
            lock (output) output.Append($"(stopped after {limit.TotalMinutes} minutes)\n");
        }
        process.WaitForExit();
        lock (output) return (stopped ? -1 : process.ExitCode, output.ToString());
    }

    [GeneratedRegex(@"^Score: (\d+)/(\d+)$", RegexOptions.Multiline)]
    private static partial Regex ScoreLine();
}
