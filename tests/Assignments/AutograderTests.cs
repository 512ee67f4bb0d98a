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
/// installs packages as root); run_autograder builds the starting tree from scratch instead.
/// One assignment, sysinfo (one boot), stands for all: the package is the same for each.
/// </summary>
public sealed class AutograderTests
{
    private const string Assignment = "sysinfo";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A student's whole repository, at the starting point, zipped inside one folder, with the grader
    /// changed to give full marks: the package must take the student's files only where a submission
    /// may change them (tools/autograder/submission-files.txt), so the instructor's checks still run.
    /// </summary>
    [Fact]
    public void StartingTreeWithAChangedGraderScoresBelowFull()
    {
        using var package = Unpacked();
        using (TreeCopy.Make(Path.Combine(package.Root, "submission", "teachos-main"), patch: null))
        {
            File.WriteAllText(Path.Combine(package.Root, "submission", "teachos-main", "assignments", Assignment, "checks.sh"),
                "check 10 \"everything\" true\n");
            (int score, int maximum, string output, string json) = package.Run();
            Assert.True(maximum > 0 && score < maximum, $"the starting tree should score below full\n{json}");
            Assert.Contains($"assignments/{Assignment}/checks.sh", output);
            Assert.Contains("Ignored", output);
        }
    }

    /// <summary>The reference solution submitted as a patch (git diff's output) scores full.</summary>
    [Fact]
    public void ReferenceSolutionAsAPatchScoresFull()
    {
        using var package = Unpacked();
        Directory.CreateDirectory(Path.Combine(package.Root, "submission"));
        File.Copy(Repository.PathOf($"assignments/{Assignment}/solution.patch"), Path.Combine(package.Root, "submission", "mywork.patch"));
        (int score, int maximum, string output, string json) = package.Run();
        Assert.True(maximum > 0 && score == maximum, $"the reference solution should score full\n{json}");
        Assert.Contains("kernel/Syscalls/SystemInfoSyscalls.cs", output);
    }

    private static Package Unpacked()
    {
        var package = new Package(Path.Combine(Path.GetTempPath(), $"teachos-autograder-{Guid.NewGuid():N}"));
        try
        {
            string zip = Path.Combine(package.Root, "autograder.zip");
            Directory.CreateDirectory(package.Root);
            package.Command(Repository.Root, Repository.PathOf("tools/autograder/pack.sh"), Assignment, zip);
            package.Command(package.Root, "unzip", "-q", zip, "-d", Path.Combine(package.Root, "source"));
            return package;
        }
        catch
        {
            package.Dispose();
            throw;
        }
    }

    /// <summary>A folder that plays /autograder.</summary>
    private sealed class Package(string root) : IDisposable
    {
        public string Root { get; } = root;

        private string Log { get; set; } = "";

        public void Command(string directory, string program, params string[] arguments)
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
                UseShellExecute = false, WorkingDirectory = directory,
            };
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            Log += Grader.Run(start, Limit);
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
