using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCaseOrderer("TeachOS.Tests.Assignments.Harness.LabGradingOrder", "TeachOS.Tests.Assignments")]

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// xunit asks a test case orderer for the order of a class's tests just before it runs them, and
/// hands it the tests it selected (all of them, or those a --filter names). For an assignment's
/// class, this is where <see cref="LabGradings"/> learns which gradings the class will want and
/// starts them all, so that they share the grading slots with every other lab's instead of waiting
/// for the test before them. The order itself is left as xunit gives it.
/// </summary>
public sealed class LabGradingOrder : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase
    {
        var cases = testCases.ToList();
        foreach (var byClass in cases.GroupBy(testCase => (testCase.TestMethod.TestClass.Class as IReflectionTypeInfo)?.Type))
        {
            if (byClass.Key == null || !byClass.Key.IsSubclassOf(typeof(AssignmentTests)) || byClass.Key.IsAbstract) continue;
            string lab = ((AssignmentTests)Activator.CreateInstance(byClass.Key)!).Name;
            LabGradings.Start(lab, byClass.SelectMany(testCase => GradingsOf(lab, testCase)));
        }
        return cases;
    }

    private static IEnumerable<string> GradingsOf(string lab, ITestCase testCase) => testCase.TestMethod.Method.Name switch
    {
        nameof(AssignmentTests.StartingPointScoresBelowFull) => [LabGradings.StartingPoint],
        nameof(AssignmentTests.ReferenceSolutionScoresFull) => [LabGradings.Reference],
        nameof(StartPatchedAssignmentTests.TreeWithTheFeatureScoresFull) => [LabGradings.TreeWithFeature],
        // A theory whose cases xunit did not enumerate one by one runs every wrong solution.
        nameof(AssignmentTests.WrongSolutionScoresBelowFull) => testCase.TestMethodArguments is [string patch]
            ? [patch] : WrongSolutionsAttribute.Of(lab),
        _ => [],
    };
}
