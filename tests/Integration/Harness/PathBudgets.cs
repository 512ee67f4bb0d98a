using System.Globalization;
using System.Text.RegularExpressions;

namespace TeachOS.Tests.Integration.Harness;

/// <summary>One line of tests/Integration/Budgets/paths.txt: a path's name, its budget and what it is.</summary>
public sealed record PathBudget(string Name, long Instructions, string Description);

/// <summary>
/// The instruction budgets of the main paths and the rule that holds a measurement to them: a figure
/// may be up to <see cref="AllowedGrowthPercent"/> percent over its budget. The figures come from
/// `bench paths` under -icount, where they are exact and repeatable, so the margin is for deliberate
/// small changes, not for noise.
/// </summary>
public static class PathBudgets
{
    public const int AllowedGrowthPercent = 10;
    public const string FileName = "tests/Integration/Budgets/paths.txt";

    /// <summary>Reads "name budget # description" lines; '#' starts a comment, blank lines are skipped.</summary>
    public static IReadOnlyList<PathBudget> Parse(string text)
    {
        var budgets = new List<PathBudget>();
        foreach (string line in text.Split('\n'))
        {
            int hash = line.IndexOf('#');
            string fields = (hash < 0 ? line : line[..hash]).Trim();
            if (fields.Length == 0) continue;
            string[] parts = fields.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long budget))
                throw new FormatException($"{FileName}: expected \"name budget # description\", got \"{line.Trim()}\"");
            budgets.Add(new PathBudget(parts[0], budget, hash < 0 ? "" : line[(hash + 1)..].Trim()));
        }
        return budgets;
    }

    /// <summary>The figures bench printed as "bench NAME: N cycles..." (instructions, under icount).</summary>
    public static IReadOnlyDictionary<string, long> FiguresIn(string serialLog)
    {
        var figures = new Dictionary<string, long>();
        foreach (Match match in Regex.Matches(serialLog, @"^bench ([a-z0-9-]+): (\d+) cycles", RegexOptions.Multiline))
            figures[match.Groups[1].Value] = long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return figures;
    }

    /// <summary>Whether <paramref name="figure"/> is more than the allowed growth past <paramref name="budget"/>.</summary>
    public static bool IsOverBudget(long figure, long budget) => figure * 100 > budget * (100 + AllowedGrowthPercent);

    /// <summary>One message per budget that the figures break or do not measure; none when all hold.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyList<PathBudget> budgets, IReadOnlyDictionary<string, long> figures)
    {
        var violations = new List<string>();
        foreach (PathBudget budget in budgets)
        {
            if (!figures.TryGetValue(budget.Name, out long figure))
                violations.Add($"{budget.Name}: not measured any more (bench printed no figure of that name)");
            else if (IsOverBudget(figure, budget.Instructions))
                violations.Add($"{budget.Name}: {figure} instructions, {PercentOver(figure, budget.Instructions)} % over its budget of " +
                               $"{budget.Instructions} (at most {AllowedGrowthPercent} % allowed). If the longer path is deliberate, " +
                               $"set its budget in {FileName} to {figure} in the same commit.");
        }
        return violations;
    }

    private static string PercentOver(long figure, long budget) =>
        ((figure - budget) * 100.0 / budget).ToString("F1", CultureInfo.InvariantCulture);
}
