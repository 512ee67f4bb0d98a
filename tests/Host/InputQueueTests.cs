using Drivers;
using Xunit;

namespace TeachOS.Tests.Host;

public class InputQueueTests
{
    [Fact]
    public void BytesComeOutInTheOrderTheyWentIn()
    {
        var queue = new InputQueue(4);
        Assert.True(queue.Put(1));
        Assert.True(queue.Put(2));
        Assert.True(queue.TryTake(out byte first));
        Assert.True(queue.TryTake(out byte second));
        Assert.Equal(new byte[] { 1, 2 }, new[] { first, second });
        Assert.False(queue.TryTake(out _));
    }

    [Fact]
    public void AFullQueueDropsAndCountsNewBytes()
    {
        var queue = new InputQueue(2);
        queue.Put(1);
        queue.Put(2);
        Assert.False(queue.Put(3));
        Assert.Equal(1UL, queue.Dropped);
        queue.TryTake(out byte oldest);
        Assert.Equal(1, oldest);
    }

    [Fact]
    public void WrapsAroundTheEndOfTheBuffer()
    {
        var queue = new InputQueue(3);
        for (byte round = 0; round < 10; round++)
        {
            queue.Put(round);
            queue.Put((byte)(round + 100));
            queue.TryTake(out byte a);
            queue.TryTake(out byte b);
            Assert.Equal(round, a);
            Assert.Equal(round + 100, b);
        }
        Assert.Equal(0, queue.Count);
    }
}
