namespace TeachOS.Tools.SchedTrace;

/// <summary>
/// The small marker drawn above a lane at each switch. Shape and colour both encode the reason,
/// so the picture still works when printed in black and white.
/// </summary>
public static class ReasonMarkers
{
    /// <summary>Half the marker's width: markers are about 9 px across.</summary>
    public const double Radius = 4.5;

    private const string Outline = "#ffffff";

    public static void Draw(SvgCanvas svg, string reason, double x, double y)
    {
        double r = Radius;
        switch (reason)
        {
            case "quantum": // ▼ the timer pushed the thread off
                Polygon(svg, "#4b5563", (x - r, y - r), (x + r, y - r), (x, y + r));
                break;
            case "blocked": // ■ a wall: the thread waits
                svg.Element("rect", ("x", x - r + 0.5), ("y", y - r + 0.5), ("width", 2 * r - 1), ("height", 2 * r - 1),
                    ("fill", "#c0392b"), ("stroke", Outline), ("stroke-width", 0.8));
                break;
            case "yielded": // ◆
                Polygon(svg, "#1f6fb2", (x, y - r - 0.5), (x + r + 0.5, y), (x, y + r + 0.5), (x - r - 0.5, y));
                break;
            case "sleep": // ●
                svg.Element("circle", ("cx", x), ("cy", y), ("r", r - 0.3),
                    ("fill", "#7d3c98"), ("stroke", Outline), ("stroke-width", 0.8));
                break;
            case "woken": // ▲ the opposite of quantum's ▼: someone was lifted up
                Polygon(svg, "#1e8449", (x - r, y + r), (x + r, y + r), (x, y - r));
                break;
            case "start": // ▶ "play"
                Polygon(svg, "#0e7c86", (x - r + 0.5, y - r), (x + r, y), (x - r + 0.5, y + r));
                break;
            case "exited": // ✕
                svg.Open("g", ("stroke", "#111111"), ("stroke-width", 2), ("stroke-linecap", "round"));
                svg.Element("line", ("x1", x - r + 1), ("y1", y - r + 1), ("x2", x + r - 1), ("y2", y + r - 1));
                svg.Element("line", ("x1", x - r + 1), ("y1", y + r - 1), ("x2", x + r - 1), ("y2", y - r + 1));
                svg.Close("g");
                break;
            default: // ○ anything this tool does not know
                svg.Element("circle", ("cx", x), ("cy", y), ("r", r - 1),
                    ("fill", "#ffffff"), ("stroke", "#6b7280"), ("stroke-width", 1.5));
                break;
        }
    }

    private static void Polygon(SvgCanvas svg, string fill, params (double X, double Y)[] corners)
    {
        string points = string.Join(" ", corners.Select(p => SvgCanvas.Format(p.X) + "," + SvgCanvas.Format(p.Y)));
        svg.Element("polygon", ("points", points), ("fill", fill), ("stroke", Outline), ("stroke-width", 0.8));
    }
}
