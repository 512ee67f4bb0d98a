using System;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>The base library's integer formatting and parsing (runtime/System/Number.cs), on .NET.</summary>
public class NumberTests
{
    [Theory]
    [InlineData(0UL, 10, 1, "0")]
    [InlineData(1234567890UL, 10, 1, "1234567890")]
    [InlineData(255UL, 16, 1, "ff")]
    [InlineData(255UL, 16, 4, "00ff")]
    [InlineData(ulong.MaxValue, 16, 1, "ffffffffffffffff")]
    [InlineData(ulong.MaxValue, 10, 1, "18446744073709551615")]
    public void FormatIntoWritesDigits(ulong value, int radix, int minimumDigits, string expected)
    {
        Span<char> buffer = stackalloc char[32];
        int count = System.Number.FormatInto(buffer, value, radix, minimumDigits);
        Assert.Equal(expected, new string(buffer.Slice(0, count)));
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(-1L, "-1")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    public void FormatSignedMatchesDotNet(long value, string expected)
    {
        Assert.Equal(expected, System.Number.Format(value));
        Assert.Equal(value.ToString(), System.Number.Format(value));
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-42", -42L)]
    [InlineData("+7", 7L)]
    [InlineData("0x7fffffffffffffff", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void TryParseAcceptsDecimalAndHex(string text, long expected)
    {
        Assert.True(System.Number.TryParse(text.AsSpan(), out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("0x")]
    [InlineData("12z")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999999")]
    public void TryParseRejectsBadInput(string text)
    {
        Assert.False(System.Number.TryParse(text.AsSpan(), out long _));
    }

    [Fact]
    public void FormatWithSpecifiers()
    {
        Assert.Equal("0000002a", System.Number.Format(42L, "x8"));
        Assert.Equal("2A", System.Number.Format(42L, "X"));
        Assert.Equal("00042", System.Number.Format(42L, "D5"));
    }
}
