using TeachOS.Tools.Profile;
using Xunit;

namespace TeachOS.Tests.Tools.Profile;

public class StackFolderTests
{
    // A made-up symbol table: kernel functions at 0xffffffff80001000.., user functions at 0x401000..
    private static readonly ElfSymbols Kernel = new(new[]
    {
        (0xffffffff80001000UL, 0x100UL, "syscall_entry"),
        (0xffffffff80002000UL, 0x100UL, "Dispatch"),
        (0xffffffff80003000UL, 0x100UL, "Pipe__Read"),
    });
    private static readonly ElfSymbols User = new(new[]
    {
        (0x401000UL, 0x100UL, "main"),
        (0x402000UL, 0x10UL, "syscall_invoke"),
    });

    private static List<string> Fold(params string[] lines) =>
        StackFolder.Lines(StackFolder.Fold(ProfileSample.ReadLog(lines), Kernel.Lookup, User.Lookup)).ToList();

    [Fact]
    public void ParsesBothSidesOfTheTrap()
    {
        Assert.True(ProfileSample.TryParse("1 pid=7 ffffffff80003010 ffffffff80002020 | 402004 401050", out ProfileSample? sample));
        Assert.Equal(1, sample!.Cpu);
        Assert.Equal(7, sample.ProcessId);
        Assert.Equal(new ulong[] { 0xffffffff80003010, 0xffffffff80002020 }, sample.KernelFrames);
        Assert.Equal(new ulong[] { 0x402004, 0x401050 }, sample.UserFrames);
    }

    [Theory]
    [InlineData("0 pid=3 ffffffff80003010")]            // cut off before the boundary
    [InlineData("x pid=3 | 401000")]
    [InlineData("0 pid=3 zz | 401000")]
    [InlineData("0 pid=3 | 401000 | 401000")]
    public void RejectsDamagedLines(string text) => Assert.False(ProfileSample.TryParse(text, out _));

    [Fact]
    public void ReadsOnlyProfileLinesOfALog()
    {
        var samples = ProfileSample.ReadLog(new[] { "timer: 1000 Hz", "profile-begin hz=1000 samples=1 dropped=0", "profile: 0 pid=0 ffffffff80002010 |", "profile-end" });
        Assert.Single(samples);
    }

    [Fact]
    public void PutsTheProgramBelowTheKernelOutermostFirst()
    {
        var lines = Fold("profile: 0 pid=3 ffffffff80003010 ffffffff80002021 ffffffff80001031 | 402004 401051");
        Assert.Equal(new[] { "user;main;syscall_invoke;syscall_entry;Dispatch;Pipe__Read 1" }, lines);
    }

    [Fact]
    public void CountsEqualStacksOnceAndSortsTheLines()
    {
        var lines = Fold(
            "profile: 0 pid=3 | 401010",
            "profile: 1 pid=4 | 401020",            // another process of the same program, another CPU
            "profile: 0 pid=0 ffffffff80002010 |");
        Assert.Equal(new[] { "kernel;Dispatch 1", "user;main 2" }, lines);
    }

    [Fact]
    public void NamesAReturnAddressByItsCallInstruction()
    {
        // 0x401100 is the first byte after main's 0x100 bytes: a return there comes from a call that
        // was main's last instruction, so it is main's frame, not an unknown one.
        var lines = Fold("profile: 0 pid=3 | 402004 401100");
        Assert.Equal(new[] { "user;main;syscall_invoke 1" }, lines);
    }

    [Fact]
    public void KeepsUnknownAddressesInHex()
    {
        var lines = Fold("profile: 0 pid=3 | 500000");
        Assert.Equal(new[] { "user;0x500000 1" }, lines);
    }

    [Fact]
    public void ParsesItsOwnOutput()
    {
        var stacks = StackFolder.Fold(ProfileSample.ReadLog(new[] { "profile: 0 pid=3 | 401010", "profile: 0 pid=3 | 402004 401010" }), Kernel.Lookup, User.Lookup);
        Assert.Equal(stacks, StackFolder.Parse(StackFolder.Lines(stacks)));
    }

    [Fact]
    public void LooksUpSymbolsBySizeAndLabelsByNearest()
    {
        var symbols = new ElfSymbols(new[] { (0x1000UL, 0x10UL, "sized"), (0x2000UL, 0UL, "label") });
        Assert.Equal("sized", symbols.Lookup(0x100f));
        Assert.Null(symbols.Lookup(0x1010));
        Assert.Null(symbols.Lookup(0xfff));
        Assert.Equal("label", symbols.Lookup(0x2345));
    }

    [Fact]
    public void RejectsAFileThatIsNotElf()
    {
        // The test assembly is a PE file (the real ELF files are read by the integration test).
        Assert.Throws<InvalidDataException>(() => ElfSymbols.Read(typeof(StackFolderTests).Assembly.Location));
    }
}
