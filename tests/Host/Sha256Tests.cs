using System.Security.Cryptography;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>TeachOS's SHA-256 (userland/Lib/Accounts/Sha256.cs) against .NET's, over the lengths where padding changes.</summary>
public class Sha256Tests
{
    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        var random = new Random(seed);
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void KnownAnswersFromFips180Examples()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex.Encode(Sha256.Hash(Array.Empty<byte>())));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hex.Encode(Sha256.Hash("abc"u8)));
        Assert.Equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            Hex.Encode(Sha256.Hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8)));
    }

    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(3)] [InlineData(54)] [InlineData(55)] [InlineData(56)] [InlineData(57)]
    [InlineData(63)] [InlineData(64)] [InlineData(65)] [InlineData(119)] [InlineData(120)] [InlineData(127)] [InlineData(128)]
    [InlineData(1000)] [InlineData(4096)] [InlineData(1000003)]
    public void MatchesDotNetAtPaddingBoundariesAndLongMessages(int length)
    {
        byte[] message = Pattern(length, length);
        Assert.Equal(SHA256.HashData(message), Sha256.Hash(message));
    }

    [Fact]
    public void MatchesDotNetForEveryLengthUpTo300()
    {
        for (int length = 0; length <= 300; length++)
        {
            byte[] message = Pattern(length, 7 * length + 1);
            Assert.True(SHA256.HashData(message).AsSpan().SequenceEqual(Sha256.Hash(message)), $"length {length}");
        }
    }

    [Fact]
    public void PiecewiseAppendsGiveTheSameHashAsOneAndTheObjectIsReusable()
    {
        byte[] message = Pattern(777, 42);
        var sha = new Sha256();
        var random = new Random(3);
        for (int repeat = 0; repeat < 3; repeat++)
        {
            int offset = 0;
            while (offset < message.Length)
            {
                int piece = Math.Min(random.Next(0, 100), message.Length - offset);
                sha.Append(message.AsSpan(offset, piece));
                offset += piece;
            }
            byte[] hash = new byte[32];
            sha.Finish(hash);
            Assert.Equal(SHA256.HashData(message), hash);
        }
    }

    [Fact]
    public void AppendAsciiHashesTheCharactersLowBytes()
    {
        var sha = new Sha256();
        sha.AppendAscii("The quick brown fox jumps over the lazy dog");
        byte[] hash = new byte[32];
        sha.Finish(hash);
        Assert.Equal(SHA256.HashData("The quick brown fox jumps over the lazy dog"u8), hash);
    }
}
