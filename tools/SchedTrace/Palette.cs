using System.Globalization;

namespace TeachOS.Tools.SchedTrace;

/// <summary>A thread's fill colour and the text colour that stays readable on it.</summary>
public sealed record ThreadColour(string Fill, string Text);

/// <summary>
/// Gives every thread one colour for the whole picture. Colours come from a qualitative palette
/// (Tableau 10 without its grey, which is reserved for idle threads): hues that are easy to tell
/// apart and none of which suggests "more" or "less". Threads get colours in tid order, so the
/// same trace always gets the same colours.
/// </summary>
public static class Palette
{
    private static readonly string[] Base =
    [
        "#4e79a7", // blue
        "#f28e2b", // orange
        "#e15759", // red
        "#76b7b2", // teal
        "#59a14f", // green
        "#edc948", // yellow
        "#b07aa1", // purple
        "#ff9da7", // pink
        "#9c755f", // brown
    ];

    public static readonly ThreadColour Idle = new("#d9dce1", "#4a4f57");

    public static IReadOnlyDictionary<int, ThreadColour> Assign(IEnumerable<ThreadInfo> threads)
    {
        var colours = new Dictionary<int, ThreadColour>();
        int next = 0;
        foreach (ThreadInfo thread in threads.OrderBy(t => t.Tid))
        {
            colours[thread.Tid] = thread.IsIdle ? Idle : ForIndex(next++);
        }
        return colours;
    }

    /// <summary>
    /// With more threads than base colours, later rounds reuse the hues lighter, then darker,
    /// which keeps neighbours distinguishable for a while (beyond ~27 threads colours repeat).
    /// </summary>
    public static ThreadColour ForIndex(int index)
    {
        (byte r, byte g, byte b) = ParseHex(Base[index % Base.Length]);
        (r, g, b) = ((index / Base.Length) % 3) switch
        {
            1 => Mix((r, g, b), (255, 255, 255), 0.45),
            2 => Mix((r, g, b), (0, 0, 0), 0.35),
            _ => (r, g, b),
        };
        return new ThreadColour(ToHex(r, g, b), IsLight(r, g, b) ? "#1b1e23" : "#ffffff");
    }

    /// <summary>Perceived brightness (ITU-R BT.601 weights) decides between dark and white text.</summary>
    private static bool IsLight(byte r, byte g, byte b) => (0.299 * r + 0.587 * g + 0.114 * b) / 255 > 0.6;

    private static (byte, byte, byte) Mix((byte R, byte G, byte B) c, (byte R, byte G, byte B) with, double amount) =>
        (Lerp(c.R, with.R, amount), Lerp(c.G, with.G, amount), Lerp(c.B, with.B, amount));

    private static byte Lerp(byte from, byte to, double amount) => (byte)Math.Round(from + (to - from) * amount);

    private static (byte, byte, byte) ParseHex(string hex) =>
        (Convert.ToByte(hex[1..3], 16), Convert.ToByte(hex[3..5], 16), Convert.ToByte(hex[5..7], 16));

    private static string ToHex(byte r, byte g, byte b) =>
        string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
}
