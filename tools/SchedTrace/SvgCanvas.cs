using System.Globalization;
using System.Text;
using System.Xml;

namespace TeachOS.Tools.SchedTrace;

/// <summary>
/// A tiny XML writer for SVG. It exists so that the drawing code reads like a list of shapes,
/// and so that all escaping and number formatting happens in one place:
/// <list type="bullet">
/// <item>text and attribute values are XML-escaped (a thread may be called "a&lt;b"),</item>
/// <item>numbers use the invariant culture (never "12,5") and at most two decimals,</item>
/// <item>lines end in "\n" on every OS, so the same trace gives the same bytes everywhere.</item>
/// </list>
/// </summary>
public sealed class SvgCanvas
{
    private readonly StringBuilder output = new();
    private int depth;

    /// <summary>Writes &lt;tag ...&gt; and indents what follows until <see cref="Close"/>.</summary>
    public void Open(string tag, params (string Name, object? Value)[] attributes)
    {
        StartLine().Append('<').Append(tag);
        AppendAttributes(attributes);
        output.Append(">\n");
        depth++;
    }

    public void Close(string tag)
    {
        depth--;
        StartLine().Append("</").Append(tag).Append(">\n");
    }

    /// <summary>An element without content: &lt;rect .../&gt;.</summary>
    public void Element(string tag, params (string Name, object? Value)[] attributes)
    {
        StartLine().Append('<').Append(tag);
        AppendAttributes(attributes);
        output.Append("/>\n");
    }

    /// <summary>An element holding text: &lt;text ...&gt;escaped text&lt;/text&gt;.</summary>
    public void Text(string tag, string content, params (string Name, object? Value)[] attributes)
    {
        StartLine().Append('<').Append(tag);
        AppendAttributes(attributes);
        output.Append('>').Append(Escape(content)).Append("</").Append(tag).Append(">\n");
    }

    /// <summary>A hover tooltip for the enclosing element (SVG's &lt;title&gt; child).</summary>
    public void Tooltip(string content) => Text("title", content);

    /// <summary>A comment that helps a human find their way around the SVG source.</summary>
    public void Comment(string content)
    {
        // "--" may not appear inside an XML comment.
        StartLine().Append("<!-- ").Append(Escape(content).Replace("--", "- -")).Append(" -->\n");
    }

    public override string ToString() => output.ToString();

    /// <summary>
    /// Escapes the five XML special characters and replaces characters XML 1.0 forbids
    /// (most control characters) with U+FFFD, so that any garbage from a serial line still
    /// gives a well-formed document.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&apos;"); break;
                default:
                    if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
                        escaped.Append(c).Append(text[++i]);
                    else
                        escaped.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
                    break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>Numbers as SVG wants them: invariant culture, up to two decimals, no "-0".</summary>
    public static string Format(double value)
    {
        double rounded = Math.Round(value, 2);
        return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
    }

    private StringBuilder StartLine() => output.Append(' ', depth * 2);

    private void AppendAttributes((string Name, object? Value)[] attributes)
    {
        foreach ((string name, object? value) in attributes)
        {
            // A null value means "leave this attribute out", which keeps optional styling terse.
            if (value is null)
                continue;
            output.Append(' ').Append(name).Append("=\"").Append(FormatValue(value)).Append('"');
        }
    }

    private static string FormatValue(object value) => value switch
    {
        double d => Format(d),
        float f => Format(f),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => Escape(value.ToString() ?? ""),
    };
}
