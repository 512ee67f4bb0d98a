using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using TeachOS.Tests.Assignments.Harness;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Assignments;

/// <summary>
/// The JSON side of the grader without booting anything: the schema accepts the documented example
/// and refuses results that are wrong, and tools/grade-json.sh writes any text as a valid JSON string.
/// </summary>
public partial class ResultsSchemaTests
{
    /// <summary>The example results.json in docs/assignments/README.md (its one ```json block).</summary>
    private static string DocumentedExample()
    {
        string index = File.ReadAllText(Repository.PathOf("docs/assignments/README.md"));
        Match example = JsonBlock().Match(index);
        Assert.True(example.Success, "docs/assignments/README.md has no ```json example");
        return example.Groups[1].Value;
    }

    [Fact]
    public void TheDocumentedExampleFollowsTheSchema()
    {
        IReadOnlyList<string> problems = ResultsSchema.Problems(DocumentedExample());
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("\"status\": \"failed\"", "\"status\": \"broken\"")]   // not a status Gradescope knows
    [InlineData("\"max_score\": 10 }", "\"max_score\": 12 }")]        // the maximum is not the sum
    [InlineData("\"score\": 8,", "\"score\": 9,")]                    // the score is not the sum
    [InlineData("\"tests\": [", "\"checks\": [")]                     // no tests
    [InlineData("\"score\": 0,\n      \"max_score\": 2", "\"score\": 2,\n      \"max_score\": 2")] // failed with full points
    public void WrongResultsAreRefused(string documented, string wrong)
    {
        string example = DocumentedExample();
        Assert.Contains(documented, example);
        Assert.NotEmpty(ResultsSchema.Problems(example.Replace(documented, wrong)));
    }

    /// <summary>Serial logs hold quotes, backslashes, tabs, escape sequences (a colour), carriage returns and non-ASCII text.</summary>
    [Theory]
    [InlineData("plain")]
    [InlineData("a \"quoted\" C:\\path\\ and a\ttab\r\nand a new line\n")]
    [InlineData("\u001b[31mred\u001b[0m \u0001\u001f end")]
    [InlineData("ünïcødé → λ")]
    public void AnyTextBecomesAValidJsonString(string text)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in new[] { "-c", "source tools/grade-json.sh && json_string \"$1\"", "json_string", text })
            start.ArgumentList.Add(argument);
        start.WorkingDirectory = Repository.Root;
        using Process bash = Process.Start(start)!;
        string json = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        Assert.Equal(0, bash.ExitCode);
        Assert.Equal(text, JsonSerializer.Deserialize<string>(json));
    }

    /// <summary>
    /// tools/grade-json.sh's writers on checks recorded by hand, as tools/grade.sh records them: the
    /// Gradescope form follows the schema, and the GitHub Classroom form adds up.
    /// </summary>
    [Fact]
    public void TheWritersFollowTheirForms()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"teachos-grade-json-{Guid.NewGuid():N}");
        try
        {
            Bash($$"""
                source tools/grade-json.sh
                name=trace score=3 total=6 notes=$'== trace: building\n'
                record_check 'Trace(mask) returns 0' 1 1 passed ''
                record_check 'a "quoted" check' 2 2 passed ''
                record_check 'a failing check' 0 3 failed $'no line of the log matches /^4: syscall\tRead/\n| \e[31mred\e[0m'
                write_results_json '{{folder}}/results.json'
                write_classroom_json '{{folder}}/classroom.json'
                """);
            IReadOnlyList<string> problems = ResultsSchema.Problems(File.ReadAllText(Path.Combine(folder, "results.json")));
            Assert.True(problems.Count == 0, string.Join('\n', problems));

            using JsonDocument classroom = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "classroom.json")));
            JsonElement result = classroom.RootElement;
            Assert.Equal(1, result.GetProperty("version").GetInt32());
            Assert.Equal("fail", result.GetProperty("status").GetString());
            Assert.Equal(6, result.GetProperty("max_score").GetInt32());
            JsonElement[] tests = result.GetProperty("tests").EnumerateArray().ToArray();
            Assert.Equal(["pass", "pass", "fail"], tests.Select(test => test.GetProperty("status").GetString()));
            Assert.Equal(3, tests.Sum(test => test.GetProperty("score").GetInt32()));
            Assert.Contains("\u001b[31mred", tests[2].GetProperty("message").GetString());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The Classroom workflow template hands its result to the reporter, which reads it from the
    /// environment variable named after the runner (RUNNER_RESULTS), and grades an assignment that exists.
    /// </summary>
    [Fact]
    public void TheClassroomWorkflowWiresItsResultToTheReporter()
    {
        string workflow = File.ReadAllText(Repository.PathOf("docs/assignments/github-classroom.yml"));
        string runner = Regex.Match(workflow, @"runners: (\S+)").Groups[1].Value;
        string step = Regex.Match(workflow, @"(\S+)_RESULTS: \$\{\{ steps\.(\S+)\.outputs\.result \}\}").Groups[2].Value;
        Assert.Matches($@"(?m)^\s*{runner.ToUpperInvariant()}_RESULTS: ", workflow);
        Assert.Matches($@"(?m)^\s*id: {Regex.Escape(step)}$", workflow);
        Assert.Contains("FORMAT=classroom", workflow);
        string assignment = Regex.Match(workflow, @"ASSIGNMENT: (\S+)").Groups[1].Value;
        Assert.True(File.Exists(Repository.PathOf($"assignments/{assignment}/checks.sh")), $"no assignment {assignment}");
    }

    private static void Bash(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using Process bash = Process.Start(start)!;
        string error = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, error);
    }

    [GeneratedRegex("```json\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
