using Mem;
using Xunit;

namespace TeachOS.Tests.Host;

public class FrameBitmapTests
{
    [Fact]
    public void StartsWithEverythingInUse()
    {
        var bitmap = new FrameBitmap(100);
        Assert.Equal(0UL, bitmap.FreeCount);
        Assert.Equal(-1, bitmap.Allocate());
    }

    [Fact]
    public void AllocatesOnlyFreedFramesAndCountsThem()
    {
        var bitmap = new FrameBitmap(1000);
        bitmap.MarkFree(100, 50);
        Assert.Equal(50UL, bitmap.FreeCount);
        var seen = new HashSet<long>();
        for (int i = 0; i < 50; i++)
        {
            long frame = bitmap.Allocate();
            Assert.InRange(frame, 100, 149);
            Assert.True(seen.Add(frame));
        }
        Assert.Equal(-1, bitmap.Allocate());
        Assert.Equal(0UL, bitmap.FreeCount);
    }

    [Fact]
    public void ReservedRangesAreNeverHandedOut()
    {
        var bitmap = new FrameBitmap(256);
        bitmap.MarkFree(0, 256);
        bitmap.MarkUsed(0, 16);
        bitmap.MarkUsed(200, 56);
        Assert.Equal(184UL, bitmap.FreeCount);
        for (int i = 0; i < 184; i++) Assert.InRange(bitmap.Allocate(), 16, 199);
    }

    [Fact]
    public void FreeReturnsAFrameAndRejectsDoubleFrees()
    {
        var bitmap = new FrameBitmap(64);
        bitmap.MarkFree(0, 64);
        long frame = bitmap.Allocate();
        Assert.True(bitmap.Free((ulong)frame));
        Assert.False(bitmap.Free((ulong)frame));
        Assert.False(bitmap.Free(1000));
        Assert.Equal(64UL, bitmap.FreeCount);
    }

    [Fact]
    public void NonMultipleOf64FrameCountsAreRespected()
    {
        var bitmap = new FrameBitmap(70);
        bitmap.MarkFree(0, 1000);              // clipped to the 70 frames that exist
        Assert.Equal(70UL, bitmap.FreeCount);
        for (int i = 0; i < 70; i++) Assert.InRange(bitmap.Allocate(), 0, 69);
        Assert.Equal(-1, bitmap.Allocate());
    }

    [Fact]
    public void AllocationWrapsAroundFromTheHint()
    {
        var bitmap = new FrameBitmap(128);
        bitmap.MarkFree(0, 128);
        long first = bitmap.Allocate();
        long second = bitmap.Allocate();
        Assert.Equal(first + 1, second);
        bitmap.Free((ulong)first);
        for (int i = 0; i < 126; i++) bitmap.Allocate();
        Assert.Equal(first, bitmap.Allocate());   // found again after wrapping around
    }

    [Fact]
    public void RunsSkipFullWordsAndStillFindTheFirstFit()
    {
        var bitmap = new FrameBitmap(300);
        bitmap.MarkFree(0, 300);
        bitmap.MarkUsed(0, 130);                                       // two full words and a bit
        bitmap.MarkUsed(140, 10);
        Assert.Equal(130, bitmap.AllocateRun(10));                     // 130..139 fits exactly
        Assert.Equal(150, bitmap.AllocateRun(64));                     // the next gap
        Assert.Equal(-1, bitmap.AllocateRun(200));
    }
}
