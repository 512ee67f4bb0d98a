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
        var queue = new RunQueue<Item>(2);
        var a = new Item("a"); var b = new Item("b"); var c = new Item("c");
        queue.Enqueue(a); queue.Enqueue(b); queue.Enqueue(c);          // grows past its capacity
        Item first = queue.Dequeue();
        queue.Enqueue(first);                                          // back of the queue after its turn
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
        foreach (var item in items) queue.Enqueue(item);
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
        queue.Enqueue(a);
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
            queue.Enqueue(items[0]);
            queue.Enqueue(items[1]);
            Assert.Same(items[0], queue.Dequeue());
            Assert.Same(items[1], queue.Dequeue());
        }
        Assert.Equal(0, queue.Count);
    }
}
