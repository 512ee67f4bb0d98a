using System;
using Terminal;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>
/// The formats of the kernel console's interpolated print (kernel/Terminal/IntegerFormat.cs), checked
/// against .NET's own ToString(format), which they imitate.
/// </summary>
public class IntegerFormatTests
{
    private static readonly string[] Formats = { null, "", "d", "D", "d1", "d3", "D8", "x", "X", "x4", "x8", "X16", "x16", "d20", "x64" };

    private static readonly long[] Longs = { 0, 1, 7, -1, -42, 255, 4096, 0xdeadbeef, long.MaxValue, long.MinValue, int.MinValue, int.MaxValue };

    private static string Format(long value, int bits, string format)
    {
        Span<char> buffer = stackalloc char[IntegerFormat.MaximumLength];
        int length = IntegerFormat.Write(buffer, value, bits, format);
        return length < 0 ? null : new string(buffer.Slice(0, length));
    }

    private static string Format(ulong value, string format)
    {
        Span<char> buffer = stackalloc char[IntegerFormat.MaximumLength];
        int length = IntegerFormat.Write(buffer, value, format);
        return length < 0 ? null : new string(buffer.Slice(0, length));
    }

    [Fact]
    public void LongsAreWrittenAsDotNetWritesThem()
    {
        foreach (long value in Longs)
            foreach (string format in Formats)
                Assert.Equal(value.ToString(format), Format(value, 64, format));
    }

    [Fact]
    public void IntsAreWrittenAsDotNetWritesThem()
    {
        foreach (long wide in Longs)
        {
            int value = unchecked((int)wide);
            foreach (string format in Formats)
                Assert.Equal(value.ToString(format), Format(value, 32, format));
        }
    }

    [Fact]
    public void UnsignedNumbersAreWrittenAsDotNetWritesThem()
    {
        foreach (long wide in Longs)
            foreach (string format in Formats)
            {
                Assert.Equal(unchecked((ulong)wide).ToString(format), Format(unchecked((ulong)wide), format));
                Assert.Equal(unchecked((uint)wide).ToString(format), Format(unchecked((uint)wide), format));
            }
    }

    [Theory]
    [InlineData("q")]
    [InlineData("x1q")]
    [InlineData("n2")]
    [InlineData("x65")]
    [InlineData("d-1")]
    public void AFormatItDoesNotKnowIsRefused(string format)
    {
        Assert.Null(Format(42L, 64, format));
        Assert.Null(Format(42UL, format));
    }
}
