using System.Globalization;
using System.Text;

namespace TeachOS.Tools.Profile;

/// <summary>
/// Draws folded stacks as a flame graph in SVG: the whole profile is the bottom bar, each frame sits
/// on its caller, and a frame's width is the share of samples in which it was on the stack. Children
/// are ordered by name (not by time: this is where the time went, not when), so the picture depends
/// only on the counts. Each box has a &lt;title&gt; (name, samples, percent) that a browser shows on hover.
/// </summary>
public static class FlameGraphWriter
{
    public const int Width = 1200;
    public const int RowHeight = 16;
    private const int Margin = 10;
    private const int TitleHeight = 24;
    private const double CharWidth = 6.5;          // 11px monospace, roughly

    private sealed class Node
    {
        public readonly SortedDictionary<string, Node> Children = new(StringComparer.Ordinal);
        public int Count;
    }

    public static string Write(SortedDictionary<string, int> stacks, string title)
    {
        var root = new Node();
        int depth = 0;
        foreach (var (stack, count) in stacks)
        {
            Node node = root;
            root.Count += count;
            string[] frames = stack.Split(';');
            depth = Math.Max(depth, frames.Length);
            foreach (string frame in frames)
            {
                if (!node.Children.TryGetValue(frame, out Node? child)) node.Children[frame] = child = new Node();
                child.Count += count;
                node = child;
            }
        }

        int height = TitleHeight + (depth + 1) * RowHeight + 2 * Margin;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"monospace\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"#fdfdf6\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Margin + 14}\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)} ({root.Count} samples)</text>\n");
        if (root.Count > 0)
        {
            double scale = (Width - 2.0 * Margin) / root.Count;
            // The root ("all") on the bottom row, its callees above it.
            Draw(svg, "all", root, Margin, height - Margin - RowHeight, scale, root.Count);
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Draw(StringBuilder svg, string name, Node node, double x, int y, double scale, int total)
    {
        double width = node.Count * scale;
        string percent = (100.0 * node.Count / total).ToString("0.0", CultureInfo.InvariantCulture);
        string label = width >= 3 * CharWidth ? Fit(name, (int)((width - 4) / CharWidth)) : "";
        svg.Append(CultureInfo.InvariantCulture,
            $"<g><title>{Escape(name)} ({node.Count} samples, {percent}%)</title><rect x=\"{x:0.##}\" y=\"{y}\" width=\"{width:0.##}\" height=\"{RowHeight - 1}\" fill=\"{Color(name)}\"/>");
        if (label.Length > 0) svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 2:0.##}\" y=\"{y + RowHeight - 4}\">{Escape(label)}</text>");
        svg.Append("</g>\n");
        double childX = x;
        foreach (var (childName, child) in node.Children)
        {
            Draw(svg, childName, child, childX, y - RowHeight, scale, total);
            childX += child.Count * scale;
        }
    }

    // Warm colours, fixed by the name, so one function has one colour in every graph.
    private static string Color(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name) hash = (hash ^ c) * 16777619;
        int red = 205 + (int)(hash % 50), green = 80 + (int)(hash / 50 % 120), blue = 40 + (int)(hash / 6000 % 40);
        return $"rgb({red},{green},{blue})";
    }

    private static string Fit(string name, int characters) =>
        name.Length <= characters ? name : characters > 2 ? name[..(characters - 2)] + ".." : "";

    private static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
