using System.Xml.Linq;
using TeachOS.Tools.SchedTrace;
using Xunit;

namespace TeachOS.Tests.Tools.SchedTrace;

/// <summary>The command line, run in-process with its streams captured.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("schedtrace-test-").FullName;
    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private int Run(string stdin, params string[] args) => Program.Run(args, new StringReader(stdin), stdout, stderr);

    private string WriteInput(string text)
    {
        string path = Path.Combine(dir, "serial.log");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void WritesTheSvgAndPrintsASummary()
    {
        string input = WriteInput(Traces.TwoCpus);
        string output = Path.Combine(dir, "out.svg");

        Assert.Equal(0, Run("", input, "-o", output));

        XDocument doc = XDocument.Load(output);
        Assert.Contains(doc.Descendants(), e => e.Value == "serial.log");
        string summary = stdout.ToString();
        Assert.Contains("CPU 0 66.7%", summary);
        Assert.Contains("shell (tid 2) 10 ticks in 2 runs", summary);
        Assert.Contains("blocked 1", summary);
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void ReadsStandardInputAndTakesATitle()
    {
        string output = Path.Combine(dir, "out.svg");

        Assert.Equal(0, Run(Traces.TwoCpus, "-", "-o", output, "--title", "Round robin"));

        Assert.Contains(">Round robin</text>", File.ReadAllText(output));
        Assert.StartsWith("Round robin:", stdout.ToString());
    }

    [Fact]
    public void DefaultsTheOutputToTheInputNameWithSvg()
    {
        string input = WriteInput(Traces.TwoCpus);

        Assert.Equal(0, Run("", input));

        Assert.True(File.Exists(Path.Combine(dir, "serial.svg")));
    }

    [Fact]
    public void CanWriteTheSvgToStandardOutput()
    {
        Assert.Equal(0, Run(Traces.TwoCpus, "-", "-o", "-"));

        XDocument.Parse(stdout.ToString());
        Assert.Contains("2 CPUs at 100 Hz", stderr.ToString());
    }

    [Fact]
    public void WarnsAboutMalformedLinesWithTheirNumbers()
    {
        string input = WriteInput("sched-trace begin cpus=1 hz=100\nhello\nsched-trace switch tick=x cpu=0 from=0 to=1 reason=start\n");

        Assert.Equal(0, Run("", input, "-o", Path.Combine(dir, "out.svg")));

        Assert.Contains("line 3:", stderr.ToString());
        Assert.Contains("1 malformed", stderr.ToString());
    }

    [Fact]
    public void ATraceWithoutBeginFailsWithExitCode1()
    {
        string input = WriteInput("boot\nsched-trace switch tick=1 cpu=0 from=0 to=1 reason=start\n");
        string output = Path.Combine(dir, "out.svg");

        Assert.Equal(1, Run("", input, "-o", output));

        Assert.Contains("no 'sched-trace begin' line", stderr.ToString());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AMissingInputFileFailsWithExitCode1()
    {
        Assert.Equal(1, Run("", Path.Combine(dir, "absent.log"), "-o", Path.Combine(dir, "out.svg")));

        Assert.Contains("error", stderr.ToString());
    }

    [Theory]
    [InlineData()]
    [InlineData("-")]
    [InlineData("a.log", "b.log")]
    [InlineData("a.log", "--bogus")]
    [InlineData("a.log", "-o")]
    public void BadCommandLinesFailWithExitCode2(params string[] args)
    {
        Assert.Equal(2, Run("", args));

        Assert.Contains("usage:", stderr.ToString());
    }
}
