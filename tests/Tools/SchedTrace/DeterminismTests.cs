using System.Globalization;
using TeachOS.Tools.SchedTrace;
using Xunit;

namespace TeachOS.Tests.Tools.SchedTrace;

public class DeterminismTests
{
    [Fact]
    public void TheSameInputGivesByteIdenticalOutput()
    {
        string sample = File.ReadAllText(SamplePath("sample.log"));

        Assert.Equal(Traces.Svg(sample, "sample.log"), Traces.Svg(sample, "sample.log"));
    }

    [Fact]
    public void OutputDoesNotDependOnTheCurrentCulture()
    {
        string expected = Traces.Svg(Traces.TwoCpus);
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            // A culture that writes 1,5 for 1.5 would break every coordinate.
            CultureInfo.CurrentCulture = CultureInfo.CreateSpecificCulture("de-DE");
            Assert.Equal("1,5", 1.5.ToString());
            Assert.Equal(expected, Traces.Svg(Traces.TwoCpus));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void TheCheckedInExampleIsUpToDate()
    {
        string log = File.ReadAllText(SamplePath("sample.log"));
        string svg = File.ReadAllText(SamplePath("sample.svg"));

        // If this fails after a deliberate change to the drawing, regenerate the example as the README says.
        Assert.Equal(svg, Traces.Svg(log, "sample.log"));
    }

    private static string SamplePath(string name) =>
        Path.Combine(Traces.RepositoryRoot(), "tools", "SchedTrace", "example", name);
}
