using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>/etc/passwd and /etc/group as the user library reads them (userland/Lib/Accounts/), hostile lines included.</summary>
public class AccountFilesTests
{
    private const string Hash = "$sha256$10$00$0000000000000000000000000000000000000000000000000000000000000000";
    private static readonly string Root = $"root:{Hash}:0:0:The administrator:/:/bin/sh";
    private static readonly string Student = $"student:{Hash}:1000:1000:A student:/home/student:/bin/sh";

    /// <summary>userland/Files/etc/NAME, found by climbing from the test's folder to the checkout.</summary>
    private static string ShippedFile(string name)
    {
        for (var folder = new System.IO.DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            string path = System.IO.Path.Combine(folder.FullName, "userland", "Files", "etc", name);
            if (System.IO.File.Exists(path)) return System.IO.File.ReadAllText(path);
        }
        throw new InvalidOperationException("cannot find userland/Files/etc/" + name + " above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void TheShippedFilesParseWithoutProblems()
    {
        PasswdFile passwd = PasswdFile.Parse(ShippedFile("passwd"));
        Assert.Empty(passwd.Problems);
        Assert.Equal(0, passwd.Find("root").UserId);
        Assert.Equal(1000, passwd.Find("student").UserId);
        Assert.Equal("/home/student", passwd.Find("student").Home);
        // The documented default passwords (README, "Accounts").
        Assert.True(PasswordHash.Verify("root", passwd.Find("root").Password));
        Assert.True(PasswordHash.Verify("student", passwd.Find("student").Password));
        Assert.False(PasswordHash.Verify("root", passwd.Find("student").Password));

        GroupFile group = GroupFile.Parse(ShippedFile("group"));
        Assert.Empty(group.Problems);
        Assert.Equal(new[] { 1000, 100 }, group.GroupsOf("student", 1000));
        Assert.Equal(new[] { 0, 10 }, group.GroupsOf("root", 0));
    }

    [Fact]
    public void CommentsAndEmptyLinesAreSkipped()
    {
        PasswdFile passwd = PasswdFile.Parse($"# accounts\n\n{Root}\n{Student}\n");
        Assert.Empty(passwd.Problems);
        Assert.Equal(2, passwd.Users.Length);
        Assert.Equal(4, passwd.Find("student").LineNumber);
        Assert.Same(passwd.Find("student"), passwd.FindById(1000));
        Assert.Null(passwd.Find("nobody"));
    }

    [Theory]
    [InlineData("student:x:1000:1000:A student:/home/student", "7 fields")]
    [InlineData("student:x:1000:1000:A student:/home/student:/bin/sh:extra", "7 fields")]
    [InlineData("student", "7 fields")]
    [InlineData(":x:1000:1000::/home/student:/bin/sh", "the name is empty")]
    [InlineData("Student:x:1000:1000::/home/student:/bin/sh", "character a name may not have")]
    [InlineData("1student:x:1000:1000::/home/student:/bin/sh", "character a name may not have")]
    [InlineData("stu dent:x:1000:1000::/home/student:/bin/sh", "character a name may not have")]
    [InlineData("student::1000:1000::/home/student:/bin/sh", "password field is empty")]
    [InlineData("student:x:abc:1000::/home/student:/bin/sh", "user id 'abc' is not a number")]
    [InlineData("student:x:-1:1000::/home/student:/bin/sh", "user id '-1' is not a number")]
    [InlineData("student:x: 1000:1000::/home/student:/bin/sh", "is not a number")]
    [InlineData("student:x:1000:65536::/home/student:/bin/sh", "group id '65536' is not a number from 0 to 65535")]
    [InlineData("student:x:99999999999999999999:1000::/home/student:/bin/sh", "is not a number from 0 to 65535")]
    [InlineData("student:x::1000::/home/student:/bin/sh", "user id is empty")]
    [InlineData("student:x:1000:1000::home:/bin/sh", "home directory is not an absolute path")]
    [InlineData("student:x:1000:1000::/home/student:", "shell is not an absolute path")]
    [InlineData("student:x:1000:1000::/home/student:/bin/sh\r", "is not printable")]
    [InlineData("student:x:1000:1000:\u0000:/home/student:/bin/sh", "is not printable")]
    public void AMalformedLineIsRefusedWithItsLineAndReasonAndTheOthersStand(string line, string reason)
    {
        PasswdFile passwd = PasswdFile.Parse($"{Root}\n{line}\n");
        string problem = Assert.Single(passwd.Problems);
        Assert.StartsWith("line 2: ", problem);
        Assert.Contains(reason, problem);
        Assert.Equal("root", Assert.Single(passwd.Users).Name);
    }

    [Fact]
    public void ALongLineIsRefused()
    {
        string longName = $"student:x:1000:1000:{new string('a', 600)}:/home/student:/bin/sh";
        PasswdFile passwd = PasswdFile.Parse($"{longName}\n{Root}\n");
        Assert.Contains("longer than 512", Assert.Single(passwd.Problems));
        Assert.Null(passwd.Find("student"));
        Assert.NotNull(passwd.Find("root"));
        Assert.Contains("longer than 32", PasswdFile.ParseLine($"{new string('a', 33)}:x:1:1::/:/bin/sh", 1, out _));
    }

    [Fact]
    public void ASecondLineWithTheSameNameIsRefusedAndTheFirstStands()
    {
        string impostor = $"student:{Hash}:0:0:root in disguise:/:/bin/sh";
        PasswdFile passwd = PasswdFile.Parse($"{Student}\n{impostor}\n");
        Assert.Equal("line 2: the user 'student' is already on line 1", Assert.Single(passwd.Problems));
        Assert.Equal(1000, passwd.Find("student").UserId);
    }

    [Fact]
    public void HostileInputNeverThrows()
    {
        var random = new Random(20);
        const string alphabet = "ab0:9$\n#/ -_\u0000x";
        for (int i = 0; i < 2000; i++)
        {
            char[] text = new char[random.Next(0, 200)];
            for (int j = 0; j < text.Length; j++) text[j] = alphabet[random.Next(alphabet.Length)];
            PasswdFile.Parse(new string(text));
            GroupFile.Parse(new string(text));
        }
        PasswdFile.Parse("");
        PasswdFile.Parse(new string(':', 100000));
        GroupFile.Parse(new string(',', 100000));
    }

    [Fact]
    public void WithPasswordChangesOneLineAndKeepsEveryOtherAsItWas()
    {
        string text = $"# comment\n{Root}\nbroken line\n{Student}\n";
        PasswdFile passwd = PasswdFile.Parse(text);
        string changed = passwd.WithPassword("student", "!");
        Assert.Equal($"# comment\n{Root}\nbroken line\nstudent:!:1000:1000:A student:/home/student:/bin/sh\n", changed);
        Assert.Equal(text, passwd.WithPassword("nobody", "!"));
    }

    [Theory]
    [InlineData("wheel:x:10", "4 fields")]
    [InlineData("wheel:x:ten:root", "group id 'ten' is not a number")]
    [InlineData("wheel:x:10:root,,student", "member 2: the name is empty")]
    [InlineData("wheel:x:10:root,Bad", "member 2:")]
    public void AMalformedGroupLineIsRefused(string line, string reason)
    {
        GroupFile group = GroupFile.Parse($"root:x:0:\n{line}\n");
        string problem = Assert.Single(group.Problems);
        Assert.StartsWith("line 2: ", problem);
        Assert.Contains(reason, problem);
        Assert.Single(group.Groups);
    }

    [Fact]
    public void GroupsOfListsThePrimaryGroupFirstAndEachGroupOnce()
    {
        GroupFile group = GroupFile.Parse("a:x:5:student\nb:x:1000:student\nc:x:7:other,student\nd:x:8:other\n");
        Assert.Equal(new[] { 1000, 5, 7 }, group.GroupsOf("student", 1000));
        Assert.Equal(new[] { 42 }, group.GroupsOf("nobody", 42));
        Assert.Equal("c", group.FindById(7).Name);
    }
}
