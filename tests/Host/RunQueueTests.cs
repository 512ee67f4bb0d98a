using Sched;
using Xunit;

namespace TeachOS.Tests.Host;

public class RunQueueTests
{
    private sealed class Item(string name)
    {
        public override string ToString() => name;
    }

    [Fact]
    public void RoundRobinOrderIsFirstInFirstOut()
    {
        var queue = new RunQueue<Item>(4);
        var a = new Item("a"); var b = new Item("b"); var c = new Item("c");
        queue.TryEnqueue(a); queue.TryEnqueue(b); queue.TryEnqueue(c);
        Item first = queue.Dequeue();
        queue.TryEnqueue(first);                                       // back of the queue after its turn
        Assert.Same(b, queue.Dequeue());
        Assert.Same(c, queue.Dequeue());
        Assert.Same(a, queue.Dequeue());
        Assert.Null(queue.Dequeue());
    }

    [Fact]
    public void RemoveTakesAnItemOutOfTheMiddle()
    {
        var queue = new RunQueue<Item>(4);
        var items = new[] { new Item("0"), new Item("1"), new Item("2"), new Item("3") };
        queue.Dequeue();
        foreach (var item in items) Assert.True(queue.TryEnqueue(item));
        Assert.True(queue.Remove(items[1]));
        Assert.False(queue.Remove(items[1]));
        Assert.False(queue.Contains(items[1]));
        Assert.Equal(3, queue.Count);
        Assert.Same(items[0], queue.Dequeue());
        Assert.Same(items[2], queue.Dequeue());
        Assert.Same(items[3], queue.Dequeue());
    }

    [Fact]
    public void PeekLooksWithoutTaking()
    {
        var queue = new RunQueue<Item>();
        var a = new Item("a");
        Assert.True(queue.TryEnqueue(a));
        Assert.Same(a, queue.Peek(0));
        Assert.Null(queue.Peek(1));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void WrapsAroundManyTimes()
    {
        var queue = new RunQueue<Item>(3);
        var items = new[] { new Item("x"), new Item("y") };
        for (int round = 0; round < 100; round++)
        {
            Assert.True(queue.TryEnqueue(items[0]));
            Assert.True(queue.TryEnqueue(items[1]));
            Assert.Same(items[0], queue.Dequeue());
            Assert.Same(items[1], queue.Dequeue());
        }
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void AFullQueueRefusesInsteadOfGrowing()
    {
        var queue = new RunQueue<Item>(2);
        var items = new[] { new Item("0"), new Item("1"), new Item("2") };
        Assert.True(queue.TryEnqueue(items[0]));
        Assert.True(queue.TryEnqueue(items[1]));
        Assert.False(queue.TryEnqueue(items[2]));                     // adding never allocates
        Assert.Equal(2, queue.Count);
        Assert.Equal(2, queue.Capacity);
    }

    [Fact]
    public void ReserveKeepsTheOrderAcrossTheWrapAround()
    {
        var queue = new RunQueue<Item>(3);
        var items = new[] { new Item("0"), new Item("1"), new Item("2"), new Item("3"), new Item("4") };
        queue.TryEnqueue(items[0]); queue.TryEnqueue(items[1]);
        queue.Dequeue();                                               // the head is now in the middle
        queue.TryEnqueue(items[2]); queue.TryEnqueue(items[3]);       // and the ring has wrapped
        var replaced = queue.Reserve(5);
        Assert.NotNull(replaced);
        Assert.True(queue.Capacity >= 5);
        Assert.True(queue.TryEnqueue(items[4]));
        Assert.Same(items[1], queue.Dequeue());
        Assert.Same(items[2], queue.Dequeue());
        Assert.Same(items[3], queue.Dequeue());
        Assert.Same(items[4], queue.Dequeue());
        Assert.Null(queue.Reserve(2));                                 // already big enough: no new array
    }

    [Fact]
    public void ShrinkGivesRoomBackOnlyWhenMostlyEmptyAndKeepsTheOrder()
    {
        var queue = new RunQueue<Item>(4);
        Assert.Null(queue.Shrink(0));                                  // never below the first size
        queue.Reserve(32);
        var items = new[] { new Item("0"), new Item("1"), new Item("2") };
        foreach (Item item in items) queue.TryEnqueue(item);
        Assert.Null(queue.Shrink(16));                                 // half may still be needed: keep
        var replaced = queue.Shrink(3);
        Assert.NotNull(replaced);
        Assert.Equal(16, queue.Capacity);
        Assert.Same(items[0], queue.Dequeue());
        Assert.Same(items[1], queue.Dequeue());
        Assert.Same(items[2], queue.Dequeue());
    }
}
