using Boot;
using Xunit;

namespace TeachOS.Tests.Host;

public class CommandLineTests
{
    [Fact]
    public void GetFindsKeyValueWords()
    {
        CommandLine.Set("/boot/kernel.bin  test=all quantum=10");
        Assert.Equal("all", CommandLine.Get("test"));
        Assert.Equal("10", CommandLine.Get("quantum"));
    }

    [Fact]
    public void GetReturnsNullForAbsentKeysAndPrefixes()
    {
        CommandLine.Set("testing=1 test");
        Assert.Null(CommandLine.Get("test"));
        Assert.Null(CommandLine.Get("missing"));
    }

    [Fact]
    public void HasFindsBareFlagsOnly()
    {
        CommandLine.Set("trace-traps quiet=1");
        Assert.True(CommandLine.Has("trace-traps"));
        Assert.False(CommandLine.Has("quiet"));
    }

    [Fact]
    public void GetRestKeepsTheProgramsArguments()
    {
        CommandLine.Set("/boot/kernel.bin init=/bin/echo hello   world");
        Assert.Equal("/bin/echo hello world", CommandLine.GetRest("init"));
        Assert.Null(CommandLine.GetRest("nothere"));
    }

    [Fact]
    public void EmptyCommandLineHasNothing()
    {
        CommandLine.Set(null);
        Assert.Equal("", CommandLine.Text);
        Assert.Null(CommandLine.Get("init"));
    }
}
