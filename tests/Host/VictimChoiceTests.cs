using Proc;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>The out-of-memory killer's choice of victim (kernel/Proc/VictimChoice.cs).</summary>
public class VictimChoiceTests
{
    [Fact]
    public void TheProcessHoldingTheMostFramesIsChosen()
    {
        var choice = new VictimChoice();
        choice.Consider(0, 12, exempt: false, dying: false);
        choice.Consider(1, 60913, exempt: false, dying: false);
        choice.Consider(2, 40, exempt: false, dying: false);
        Assert.Equal(1, choice.Victim);
        Assert.Equal(60913UL, choice.Frames);
    }

    [Fact]
    public void InitIsNeverChosenHoweverBig()
    {
        var choice = new VictimChoice();
        choice.Consider(0, 100000, exempt: true, dying: false);
        choice.Consider(1, 30, exempt: false, dying: false);
        Assert.Equal(1, choice.Victim);
    }

    [Fact]
    public void NobodyIsChosenWhileAVictimIsStillDying()
    {
        var choice = new VictimChoice();
        choice.Consider(0, 500, exempt: false, dying: false);
        choice.Consider(1, 0, exempt: false, dying: true);
        choice.Consider(2, 900, exempt: false, dying: false);
        Assert.Equal(-1, choice.Victim);
    }

    [Fact]
    public void NobodyIsChosenWhenOnlyInitIsLeft()
    {
        var choice = new VictimChoice();
        Assert.Equal(-1, choice.Victim);
        choice.Consider(0, 100, exempt: true, dying: false);
        Assert.Equal(-1, choice.Victim);
    }

    [Fact]
    public void OfEqualProcessesTheFirstIsChosen()
    {
        var choice = new VictimChoice();
        choice.Consider(3, 64, exempt: false, dying: false);
        choice.Consider(4, 64, exempt: false, dying: false);
        Assert.Equal(3, choice.Victim);
    }
}
