using System.Globalization;
using System.Xml.Linq;
using TeachOS.Tools.SchedTrace;
using Xunit;

namespace TeachOS.Tests.Tools.SchedTrace;

public class SvgTimelineWriterTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Render(string trace, string title = "test") => XDocument.Parse(Traces.Svg(trace, title));

    private static List<string> Texts(XDocument doc) => doc.Descendants(Svg + "text").Select(t => t.Value).ToList();

    private static IEnumerable<XElement> WithClass(XDocument doc, string cls) =>
        doc.Descendants().Where(e => (string?)e.Attribute("class") == cls);

    [Fact]
    public void IsWellFormedSvg11()
    {
        XDocument doc = Render(Traces.TwoCpus);

        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Equal("1.1", (string?)doc.Root.Attribute("version"));
        Assert.True(double.Parse((string)doc.Root.Attribute("width")!, CultureInfo.InvariantCulture) <= TimelineLayout.MaxWidth);
    }

    [Fact]
    public void UsesOnlyBasicSvgElements()
    {
        XDocument doc = Render(Traces.TwoCpus);
        string[] allowed = ["svg", "g", "rect", "line", "text", "title", "polygon", "circle"];

        Assert.All(doc.Descendants(), e => Assert.Contains(e.Name.LocalName, allowed));
    }

    [Fact]
    public void HasTheTitleAndOneLabelledLanePerCpu()
    {
        XDocument doc = Render(Traces.TwoCpus, title: "my trace");
        var texts = Texts(doc);

        Assert.Contains("my trace", texts);
        Assert.Equal(2, WithClass(doc, "lane").Count());
        Assert.Contains("CPU 0", texts);
        Assert.Contains("CPU 1", texts);
    }

    [Fact]
    public void DrawsOneBarPerNonEmptyIntervalWithATooltip()
    {
        XDocument doc = Render(Traces.TwoCpus);
        var bars = WithClass(doc, "interval").ToList();

        // Four intervals have ticks; shell's 40-40 on CPU 1 is empty and not drawn.
        Assert.Equal(4, bars.Count);
        string tooltip = bars[0].Element(Svg + "title")!.Value;
        Assert.Contains("shell (tid 2, pid 1) on CPU 0", tooltip);
        Assert.Contains("ticks 10\u201320", tooltip);
        Assert.Contains("started: start", tooltip);
        Assert.Contains("ended: blocked", tooltip);
    }

    [Fact]
    public void DrawsAMarkerPerSwitch()
    {
        XDocument doc = Render(Traces.TwoCpus);

        Assert.Equal(5, WithClass(doc, "marker").Count());
    }

    [Fact]
    public void ListsThreadNamesAndReasonsInTheLegend()
    {
        var texts = Texts(Render(Traces.TwoCpus));

        Assert.Contains("shell", texts);
        Assert.Contains("spin", texts);
        Assert.Contains("idle0", texts);
        Assert.Contains("blocked", texts);
        Assert.Contains("woken", texts);
    }

    [Fact]
    public void LabelsTheTimeAxisInTicksAndMilliseconds()
    {
        // hz=100: one tick is 10 ms, so the gridline at tick 20 is labelled 200 ms.
        var texts = Texts(Render(Traces.TwoCpus));

        Assert.Contains("20", texts);
        Assert.Contains("200", texts);
        Assert.Contains("ms", texts);
    }

    [Fact]
    public void EscapesThreadNames()
    {
        const string trace = """
            sched-trace begin cpus=1 hz=100
            sched-trace thread tid=3 pid=1 name=a<&>"b'
            sched-trace switch tick=0 cpu=0 from=0 to=3 reason=start
            sched-trace switch tick=100 cpu=0 from=3 to=0 reason=exited
            """;
        string svg = Traces.Svg(trace);
        var texts = Texts(XDocument.Parse(svg));

        Assert.Contains("a&lt;&amp;&gt;&quot;b&apos;", svg);
        Assert.Contains("a<&>\"b'", texts);
    }

    [Fact]
    public void ReplacesCharactersXmlForbids()
    {
        string trace = "sched-trace begin cpus=1 hz=100\nsched-trace thread tid=3 name=bad\u0001name\n" +
                       "sched-trace switch tick=0 cpu=0 from=0 to=3 reason=start\u0007\n";

        XDocument doc = XDocument.Parse(Traces.Svg(trace));

        Assert.Contains("bad\uFFFDname", Texts(doc));
    }

    [Fact]
    public void IdleThreadsAreGrey()
    {
        XDocument doc = Render(Traces.TwoCpus);
        var idleBar = WithClass(doc, "interval").First(g => g.Element(Svg + "title")!.Value.StartsWith("idle0"));

        Assert.Equal(Palette.Idle.Fill, (string?)idleBar.Element(Svg + "rect")!.Attribute("fill"));
    }

    [Fact]
    public void TheSameThreadHasTheSameColourEverywhere()
    {
        XDocument doc = Render(Traces.TwoCpus);
        var shellFills = WithClass(doc, "interval")
            .Where(g => g.Element(Svg + "title")!.Value.StartsWith("shell"))
            .Select(g => (string?)g.Element(Svg + "rect")!.Attribute("fill"))
            .Distinct();

        Assert.Equal(Palette.ForIndex(0).Fill, Assert.Single(shellFills));
    }

    [Fact]
    public void GroupsLanesByCoreWhenTheTopologyIsKnown()
    {
        XDocument doc = Render("""
            sched-trace begin cpus=4 hz=100
            sched-trace cpu id=0 core=0 package=0 smt=0
            sched-trace cpu id=1 core=1 package=0 smt=0
            sched-trace cpu id=2 core=0 package=0 smt=1
            sched-trace cpu id=3 core=1 package=0 smt=1
            sched-trace switch tick=0 cpu=0 from=0 to=5 reason=start
            sched-trace switch tick=9 cpu=3 from=3 to=6 reason=start
            """);
        var texts = Texts(doc);

        Assert.Equal(2, WithClass(doc, "core").Count());
        Assert.Contains("core 0", texts);
        Assert.Contains("core 1", texts);
        // Siblings of a core sit next to each other: CPU 0, CPU 2 (core 0), then CPU 1, CPU 3 (core 1).
        var laneOrder = texts.Where(t => t.StartsWith("CPU ")).ToList();
        Assert.Equal(["CPU 0", "CPU 2", "CPU 1", "CPU 3"], laneOrder);
    }

    [Fact]
    public void WithoutTopologyThereAreNoCoreGroups()
    {
        XDocument doc = Render(Traces.TwoCpus);

        Assert.Empty(WithClass(doc, "core"));
        Assert.DoesNotContain(Texts(doc), t => t.StartsWith("core"));
    }

    [Fact]
    public void SaysSoWhenThereAreNoSwitchEvents()
    {
        XDocument doc = Render("sched-trace begin cpus=2 hz=1000\nsched-trace end dropped=0 events=0\n");

        Assert.Contains("no switch events", Texts(doc));
        Assert.Equal(2, WithClass(doc, "lane").Count());
    }

    [Fact]
    public void WarnsAboutDroppedEvents()
    {
        var texts = Texts(Render(Traces.TwoCpus.Replace("dropped=0", "dropped=7")));

        Assert.Contains(texts, t => t.Contains("dropped 7 events"));
    }

    [Fact]
    public void DoesNotWarnWhenNothingWasDropped()
    {
        Assert.DoesNotContain(Texts(Render(Traces.TwoCpus)), t => t.Contains("Warning"));
    }

    [Fact]
    public void WidthGrowsWithTheTraceUpToTheMaximum()
    {
        static double Width(long lastTick)
        {
            XDocument doc = Render($"sched-trace begin cpus=1 hz=1000\nsched-trace switch tick=0 cpu=0 from=0 to=1 reason=start\nsched-trace end tick={lastTick}\n");
            return double.Parse((string)doc.Root!.Attribute("width")!, CultureInfo.InvariantCulture);
        }

        Assert.Equal(TimelineLayout.MinWidth, Width(10));
        Assert.True(Width(120) > Width(80));
        Assert.Equal(TimelineLayout.MaxWidth, Width(1_000_000));
    }
}
