using System.Diagnostics;
using System.Text.Json;
using TeachOS.Tests.Assignments.Harness;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Assignments;

/// <summary>
/// The Gradescope package (`make autograder A=NAME`, tools/autograder/) run end to end, as Gradescope
/// runs it but under a temporary folder instead of /autograder: unpacked into source/, a submission
/// in submission/, run_autograder started, results/results.json read back. setup.sh is not run (it
/// installs packages as root). The package is unpacked once for the class: the first submission
/// builds the starting tree from scratch and the second only what it changes, as on Gradescope,
/// where setup.sh has built the starting tree before the first submission. Either may come first:
/// the starting tree submitted whole puts back any file the patch changed.
/// One assignment, sysinfo (one boot), stands for all: the package is the same for each.
/// </summary>
public sealed class AutograderTests(AutograderTests.Package package) : IClassFixture<AutograderTests.Package>
{
    private const string Assignment = "sysinfo";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    /// <summary>
    /// A student's whole repository, at the starting point, zipped inside one folder, with the grader
    /// changed to give full marks: the package must take the student's files only where a submission
    /// may change them (tools/autograder/submission-files.txt), so the instructor's checks still run.
    /// </summary>
    [Fact]
    public Task StartingTreeWithAChangedGraderScoresBelowFull() => GradingSlots.Run(() =>
    {
        string submission = package.NewSubmission();
        _ = TreeCopy.Make(Path.Combine(submission, "teachos-main"));   // deleted with the package
        File.WriteAllText(Path.Combine(submission, "teachos-main", "assignments", Assignment, "checks.sh"),
            "check 10 \"everything\" true\n");
        (int score, int maximum, string output, string json) = package.Run();
        Assert.True(maximum > 0 && score < maximum, $"the starting tree should score below full\n{json}");
        Assert.Contains($"assignments/{Assignment}/checks.sh", output);
        Assert.Contains("Ignored", output);
    });

    /// <summary>The reference solution submitted as a patch (git diff's output) scores full.</summary>
    [Fact]
    public Task ReferenceSolutionAsAPatchScoresFull() => GradingSlots.Run(() =>
    {
        string submission = package.NewSubmission();
        File.Copy(Repository.PathOf($"assignments/{Assignment}/solution.patch"), Path.Combine(submission, "mywork.patch"));
        (int score, int maximum, string output, string json) = package.Run();
        Assert.True(maximum > 0 && score == maximum, $"the reference solution should score full\n{json}");
        Assert.Contains("kernel/Syscalls/SystemInfoSyscalls.cs", output);
    });

    /// <summary>A folder that plays /autograder, with the package unpacked in source/.</summary>
    public sealed class Package : IDisposable
    {
        public string Root { get; } = Path.Combine(Path.GetTempPath(), $"teachos-autograder-{Guid.NewGuid():N}");

        private string Log { get; set; } = "";

        public Package()
        {
            try
            {
                string zip = Path.Combine(Root, "autograder.zip");
                Directory.CreateDirectory(Root);
                Command(Repository.Root, Repository.PathOf("tools/autograder/pack.sh"), Assignment, zip);
                Command(Root, "unzip", "-q", zip, "-d", Path.Combine(Root, "source"));
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        private void Command(string directory, string program, params string[] arguments)
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
                UseShellExecute = false, WorkingDirectory = directory,
            };
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            Log += Grader.Run(start, Limit);
        }

        /// <summary>An empty submission/ and no results/: what a new submission finds.</summary>
        public string NewSubmission()
        {
            foreach (string folder in new[] { "submission", "results" })
                if (Directory.Exists(Path.Combine(Root, folder))) Directory.Delete(Path.Combine(Root, folder), recursive: true);
            return Directory.CreateDirectory(Path.Combine(Root, "submission")).FullName;
        }

        /// <summary>Runs source/run_autograder; returns the score, the maximum, the result's output and the whole result.</summary>
        public (int Score, int Maximum, string Output, string Json) Run()
        {
            var start = new ProcessStartInfo(Path.Combine(Root, "source", "run_autograder"))
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
                UseShellExecute = false, WorkingDirectory = Root,
            };
            start.Environment["AUTOGRADER_ROOT"] = Root;
            string printed = Grader.Run(start, Limit);
            string results = Path.Combine(Root, "results", "results.json");
            Assert.True(File.Exists(results), $"run_autograder wrote no results/results.json\n{Log}{printed}");
            string json = File.ReadAllText(results);
            IReadOnlyList<string> problems = ResultsSchema.Problems(json);
            Assert.True(problems.Count == 0,
                $"results.json does not follow {ResultsSchema.SchemaPath}:\n{string.Join('\n', problems)}\n{json}\n----- run_autograder printed -----\n{printed}");
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement result = document.RootElement;
            return (result.GetProperty("score").GetInt32(), result.GetProperty("extra_data").GetProperty("max_score").GetInt32(),
                result.GetProperty("output").GetString()!, json + "\n----- run_autograder printed -----\n" + printed);
        }

        public void Dispose()
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
    }
}
