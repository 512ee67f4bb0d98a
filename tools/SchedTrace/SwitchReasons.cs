namespace TeachOS.Tools.SchedTrace;

/// <summary>
/// The switch reasons the kernel reports, in the order legends and summaries list them.
/// Reasons not listed here are still shown (after these, alphabetically) with a generic marker.
/// </summary>
public static class SwitchReasons
{
    public static readonly IReadOnlyList<(string Reason, string Meaning)> Known =
    [
        ("quantum", "time slice used up"),
        ("blocked", "thread blocked (waits)"),
        ("yielded", "thread gave up the CPU"),
        ("sleep", "thread went to sleep"),
        ("woken", "switch to a woken thread"),
        ("start", "thread or CPU started"),
        ("exited", "thread exited"),
    ];

    public static bool IsKnown(string reason) => Known.Any(k => k.Reason == reason);

    public static string Meaning(string reason) =>
        Known.FirstOrDefault(k => k.Reason == reason).Meaning ?? "reason not known to this tool";

    /// <summary>Known reasons first in the table's order, then the others alphabetically.</summary>
    public static IEnumerable<T> InDisplayOrder<T>(IEnumerable<T> items, Func<T, string> reasonOf) =>
        items.OrderBy(item => Rank(reasonOf(item))).ThenBy(item => reasonOf(item), StringComparer.Ordinal);

    private static int Rank(string reason)
    {
        for (int i = 0; i < Known.Count; i++)
        {
            if (Known[i].Reason == reason)
                return i;
        }
        return Known.Count;
    }
}
