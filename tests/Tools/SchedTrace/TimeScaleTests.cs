using TeachOS.Tools.SchedTrace;
using Xunit;

namespace TeachOS.Tests.Tools.SchedTrace;

public class TimeScaleTests
{
    [Fact]
    public void TheAxisCoversTheTraceAndStartsAndEndsOnGridlines()
    {
        var scale = TimeScale.Fit(start: 3, end: 104, left: 100, width: 1000, longestLabel: 3);

        Assert.Equal(10, scale.Step);
        Assert.Equal(0, scale.AxisStart);
        Assert.Equal(110, scale.AxisEnd);
        Assert.Equal(100, scale.X(0));
        Assert.Equal(1100, scale.X(110));
        Assert.Equal(12, scale.Gridlines().Count());
    }

    [Theory]
    [InlineData(0, 100_000, 1400, 6)]
    [InlineData(1_234_567, 1_234_690, 1300, 8)]
    [InlineData(0, 0, 800, 1)]
    public void GridlinesAreFarEnoughApartForTheirLabels(long start, long end, double width, int longestLabel)
    {
        var scale = TimeScale.Fit(start, end, 0, width, longestLabel);
        double spacing = scale.X(scale.AxisStart + scale.Step) - scale.X(scale.AxisStart);

        Assert.True(spacing >= longestLabel * TimeScale.LabelCharWidth, $"gridlines {spacing} px apart");
        Assert.True(spacing >= TimeScale.MinLabelSpacing);
        Assert.True(scale.AxisStart <= start && scale.AxisEnd >= end && scale.AxisEnd > scale.AxisStart);
    }

    [Theory]
    // 1000 px hold at most 15 gridline gaps of 64 px.
    [InlineData(0, 7, 1)]
    [InlineData(0, 100, 10)]
    [InlineData(0, 400, 50)]
    [InlineData(0, 3000, 200)]
    public void StepsAreOneTwoOrFiveTimesAPowerOfTen(long start, long end, long expectedStep)
    {
        Assert.Equal(expectedStep, TimeScale.Fit(start, end, 0, 1000, 3).Step);
    }
}
