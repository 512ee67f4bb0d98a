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

    // long.TryParse and ulong.TryParse (runtime/System/Primitives.cs) are Number.TryParse; on decimal
    // text without spaces they answer as .NET's do, and 0x hexadecimal (which .NET's refuse) as .NET's
    // hexadecimal parse of the digits after the prefix.
    public static TheoryData<string> DecimalTexts => new()
    {
        "0", "-0", "+0", "7", "+7", "-7", "42", "000123",
        "2147483647", "2147483648", "4294967295", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999",
        "", "-", "+", "--1", "+-1", "12z", "1 ", " 1", "1.5", "0x",
    };

    [Theory]
    [MemberData(nameof(DecimalTexts))]
    public void LongTryParseAnswersAsDotNetDoes(string text)
    {
        bool expected = long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out long expectedValue);
        Assert.Equal(expected, System.Number.TryParse(text.AsSpan(), out long value));
        Assert.Equal(expectedValue, value);
    }

    [Theory]
    [MemberData(nameof(DecimalTexts))]
    public void ULongTryParseAnswersAsDotNetDoes(string text)
    {
        bool expected = ulong.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out ulong expectedValue);
        Assert.Equal(expected, System.Number.TryParse(text.AsSpan(), out ulong value));
        Assert.Equal(expectedValue, value);
    }

    [Theory]
    [InlineData("0x0")]
    [InlineData("0x10")]
    [InlineData("0XfF")]
    [InlineData("0x100000000")]
    [InlineData("0x7fffffffffffffff")]
    [InlineData("0x8000000000000000")]
    [InlineData("0xffffffffffffffff")]
    [InlineData("0x10000000000000000")]
    [InlineData("0xg")]
    public void ULongTryParseReadsHexAsDotNetsHexParse(string text)
    {
        bool expected = ulong.TryParse(text.Substring(2), System.Globalization.NumberStyles.AllowHexSpecifier,
            System.Globalization.CultureInfo.InvariantCulture, out ulong expectedValue);
        Assert.Equal(expected, System.Number.TryParse(text.AsSpan(), out ulong value));
        Assert.Equal(expectedValue, value);
    }

    [Fact]
    public void ULongTryParseTakesAMaskAbove32Bits()
    {
        Assert.True(System.Number.TryParse("0x100000008".AsSpan(), out ulong mask));
        Assert.Equal((1UL << 32) | 8, mask);
        Assert.True(System.Number.TryParse("18446744073709551615".AsSpan(), out ulong all));
        Assert.Equal(ulong.MaxValue, all);
        Assert.False(System.Number.TryParse("-1".AsSpan(), out ulong _));
    }

    [Fact]
    public void FormatWithSpecifiers()
    {
        Assert.Equal("0000002a", System.Number.Format(42L, "x8"));
        Assert.Equal("2A", System.Number.Format(42L, "X"));
        Assert.Equal("00042", System.Number.Format(42L, "D5"));
    }
}
