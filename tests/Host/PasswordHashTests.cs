using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>The stored password format, $sha256$ROUNDS$SALT$HASH (userland/Lib/Accounts/PasswordHash.cs).</summary>
public class PasswordHashTests
{
    private static readonly byte[] Salt = Convert.FromHexString("00112233445566778899aabbccddeeff");

    /// <summary>The format's definition, written again with .NET's SHA-256, to check TeachOS's against.</summary>
    private static string Reference(string password, byte[] salt, int rounds)
    {
        byte[] secret = Encoding.ASCII.GetBytes(password);
        byte[] hash = SHA256.HashData(salt.Concat(secret).ToArray());
        for (int i = 1; i < rounds; i++) hash = SHA256.HashData(hash.Concat(salt).Concat(secret).ToArray());
        return $"$sha256${rounds}${Convert.ToHexString(salt).ToLowerInvariant()}${Convert.ToHexString(hash).ToLowerInvariant()}";
    }

    [Theory]
    [InlineData("student", 1)] [InlineData("student", 2)] [InlineData("root", 5000)] [InlineData("", 10)]
    public void CreateFollowsTheDocumentedDefinition(string password, int rounds) =>
        Assert.Equal(Reference(password, Salt, rounds), PasswordHash.Create(password, Salt, rounds));

    [Fact]
    public void VerifyAcceptsTheRightPasswordOnly()
    {
        string stored = PasswordHash.Create("student", Salt, 100);
        Assert.True(PasswordHash.Verify("student", stored));
        Assert.False(PasswordHash.Verify("Student", stored));
        Assert.False(PasswordHash.Verify("student ", stored));
        Assert.False(PasswordHash.Verify("", stored));
    }

    [Fact]
    public void TheSaltChangesTheHash()
    {
        byte[] otherSalt = (byte[])Salt.Clone();
        otherSalt[0] ^= 1;
        string a = PasswordHash.Create("same", Salt, 10), b = PasswordHash.Create("same", otherSalt, 10);
        Assert.NotEqual(a.Substring(a.LastIndexOf('$')), b.Substring(b.LastIndexOf('$')));
    }

    [Theory]
    [InlineData("!")] [InlineData("*")] [InlineData("")] [InlineData("x")] [InlineData("student")]
    [InlineData("$sha256$")] [InlineData("$sha256$10$0011$")] [InlineData("$sha256$0$0011$" + "00")]
    [InlineData("$sha256$-1$00$0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("$sha256$+5$00$0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("$sha256$99999999$00$0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("$sha256$10$0g$0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("$sha256$10$$0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("$sha256$10$00$00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("$sha256$10$00$0000000000000000000000000000000000000000000000000000000000000000$")]
    [InlineData("$sha256$10$00$0000000000000000000000000000000000000000000000000000000000000000AB")]
    [InlineData("$md5$10$00$0000000000000000000000000000000000000000000000000000000000000000")]
    public void MalformedOrLockedFieldsMatchNoPassword(string stored)
    {
        Assert.False(PasswordHash.IsHash(stored));
        Assert.False(PasswordHash.Verify("", stored));
        Assert.False(PasswordHash.Verify("student", stored));
    }

    [Fact]
    public void FixedTimeEqualsComparesWholeStrings()
    {
        Assert.True(PasswordHash.FixedTimeEquals(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 }));
        Assert.False(PasswordHash.FixedTimeEquals(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 4 }));
        Assert.False(PasswordHash.FixedTimeEquals(new byte[] { 9, 2, 3 }, new byte[] { 1, 2, 3 }));
        Assert.False(PasswordHash.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1, 2, 3 }));
        Assert.True(PasswordHash.FixedTimeEquals(Array.Empty<byte>(), Array.Empty<byte>()));
    }

    [Fact]
    public void TheDecoyCostsWhatARealHashCostsAndOpensNothing()
    {
        Assert.True(PasswordHash.TryParse(PasswordHash.Decoy, out int rounds, out byte[] salt, out _));
        Assert.Equal(PasswordHash.DefaultRounds, rounds);
        Assert.Equal(PasswordHash.SaltBytes, salt.Length);
        string real = PasswordHash.Create("student", Salt, PasswordHash.DefaultRounds);
        Assert.True(PasswordHash.VerifyAccount("student", real));
        Assert.False(PasswordHash.VerifyAccount("student", null));
        Assert.False(PasswordHash.VerifyAccount("", "!"));
        Assert.False(PasswordHash.VerifyAccount("", PasswordHash.Decoy));
    }
}
