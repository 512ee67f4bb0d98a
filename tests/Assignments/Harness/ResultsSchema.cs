using System.Text.Json;
using Json.Schema;
using TeachOS.Tests.Integration.Harness;
using Xunit.Sdk;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// Checks what `make grade FORMAT=json` wrote against the schema it is documented by,
/// docs/assignments/results.schema.json, and then what a schema cannot say: that the scores add up
/// and that a check's status agrees with its score.
/// </summary>
public static class ResultsSchema
{
    public const string SchemaPath = "docs/assignments/results.schema.json";

    private static readonly JsonSchema Schema = JsonSchema.FromFile(Repository.PathOf(SchemaPath));

    /// <summary>Everything wrong with <paramref name="json"/>, one line each; empty if nothing is.</summary>
    public static IReadOnlyList<string> Problems(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return [$"not JSON: {e.Message}"];
        }
        using (document)
        {
            var problems = new List<string>();
            EvaluationResults evaluation = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!evaluation.IsValid)
            {
                foreach (EvaluationResults result in new[] { evaluation }.Concat(evaluation.Details ?? []))
                    foreach ((string keyword, string message) in result.Errors ?? new Dictionary<string, string>())
                        problems.Add($"{result.InstanceLocation} ({keyword}): {message}");
                if (problems.Count == 0) problems.Add("the schema rejects it, without saying why");
                return problems;
            }
            problems.AddRange(SumProblems(document.RootElement));
            return problems;
        }
    }

    private static IEnumerable<string> SumProblems(JsonElement root)
    {
        int score = 0, maximum = 0;
        foreach (JsonElement test in root.GetProperty("tests").EnumerateArray())
        {
            int earned = test.GetProperty("score").GetInt32(), points = test.GetProperty("max_score").GetInt32();
            string status = test.GetProperty("status").GetString()!;
            string name = test.GetProperty("name").GetString()!;
            if (!(status == "passed" && earned == points || status == "failed" && earned == 0))
                yield return $"test \"{name}\": status {status} with score {earned}/{points}";
            score += earned;
            maximum += points;
        }
        if (root.GetProperty("score").GetInt32() != score)
            yield return $"score is {root.GetProperty("score").GetInt32()}, but the tests' scores add up to {score}";
        if (root.GetProperty("extra_data").GetProperty("max_score").GetInt32() != maximum)
            yield return $"extra_data.max_score is {root.GetProperty("extra_data").GetProperty("max_score").GetInt32()}, but the tests' max_score add up to {maximum}";
    }

    /// <summary>The grade's results.json is valid and says what its Score line says.</summary>
    public static void AssertValid(GradeResult result)
    {
        var problems = Problems(result.Json).ToList();
        if (problems.Count == 0)
        {
            using JsonDocument document = JsonDocument.Parse(result.Json);
            int score = document.RootElement.GetProperty("score").GetInt32();
            int maximum = document.RootElement.GetProperty("extra_data").GetProperty("max_score").GetInt32();
            if (score != result.Score || maximum != result.Total)
                problems.Add($"results.json says {score}/{maximum}, the Score line {result.Score}/{result.Total}");
        }
        if (problems.Count > 0)
            throw new XunitException($"results.json does not follow {SchemaPath}:\n{string.Join('\n', problems)}\n{result.Describe()}");
    }
}
