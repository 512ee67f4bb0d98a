using System.Globalization;
using System.Xml.Linq;
using TeachOS.Tools.Profile;
using Xunit;

namespace TeachOS.Tests.Tools.Profile;

public class FlameGraphWriterTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Render(params string[] folded) =>
        XDocument.Parse(FlameGraphWriter.Write(StackFolder.Parse(folded), "test"));

    // Each box: its title's name, x, y and width.
    private static List<(string Name, double X, double Y, double Width)> Boxes(XDocument doc) =>
        doc.Descendants(Svg + "g").Select(g =>
        {
            string title = g.Element(Svg + "title")!.Value;
            XElement rect = g.Element(Svg + "rect")!;
            double Number(string name) => double.Parse((string)rect.Attribute(name)!, CultureInfo.InvariantCulture);
            return (title[..title.LastIndexOf(" (", StringComparison.Ordinal)], Number("x"), Number("y"), Number("width"));
        }).ToList();

    [Fact]
    public void IsWellFormedSvg()
    {
        XDocument doc = Render("user;main;read 3", "user;main;write 1");
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "test (4 samples)");
    }

    [Fact]
    public void WidthIsTheShareOfSamples()
    {
        var boxes = Boxes(Render("user;main;read 3", "user;main;write 1"));
        var all = boxes.Single(b => b.Name == "all");
        var read = boxes.Single(b => b.Name == "read");
        var write = boxes.Single(b => b.Name == "write");
        Assert.Equal(all.Width, boxes.Single(b => b.Name == "main").Width, 3);
        Assert.Equal(all.Width * 3 / 4, read.Width, 3);
        Assert.Equal(all.Width / 4, write.Width, 3);
        Assert.True(all.X + all.Width <= FlameGraphWriter.Width);
    }

    [Fact]
    public void CalleesSitOnTheirCallerSideBySide()
    {
        var boxes = Boxes(Render("user;main;read 3", "user;main;write 1"));
        var main = boxes.Single(b => b.Name == "main");
        var read = boxes.Single(b => b.Name == "read");
        var write = boxes.Single(b => b.Name == "write");
        Assert.Equal(main.Y - FlameGraphWriter.RowHeight, read.Y);
        Assert.Equal(read.Y, write.Y);
        Assert.Equal(main.X, read.X, 3);
        Assert.Equal(read.X + read.Width, write.X, 3);
    }

    [Fact]
    public void MergesAFunctionOnlyUnderTheSameCaller()
    {
        var boxes = Boxes(Render("user;a;f 1", "user;b;f 1"));
        Assert.Equal(2, boxes.Count(b => b.Name == "f"));
    }

    [Fact]
    public void EscapesNamesAndIsTheSameEveryTime()
    {
        string[] folded = { "user;List<int>__Add&x 2", "kernel;idle 1" };
        string first = FlameGraphWriter.Write(StackFolder.Parse(folded), "t");
        Assert.Contains("List&lt;int&gt;__Add&amp;x", first);
        Assert.Equal(first, FlameGraphWriter.Write(StackFolder.Parse(folded.Reverse()), "t"));
    }

    [Fact]
    public void DrawsAnEmptyProfileAsJustItsTitle()
    {
        XDocument doc = Render();
        Assert.Empty(doc.Descendants(Svg + "rect").Skip(1));
    }
}
