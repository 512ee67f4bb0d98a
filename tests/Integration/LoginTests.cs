using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Accounts and logging in (userland/Programs/login.cs, su.cs, passwd.cs, id.cs; /etc/passwd), typed on
/// the serial console. `init=/bin/init` boots the way `make run` does, to the login prompt (the test
/// boots' `nologin`, Qemu.DefaultWords, is passed to init only when the kernel chooses init itself);
/// a boot with no init= lands in root's shell, without a login.
/// </summary>
public class LoginTests
{
    private const string AskForLogin = "init=/bin/init";

    private static BootResult Session(string commandLine, string input) =>
        Qemu.BootWithInput(commandLine, input, timeoutSeconds: 120).AssertLogDoesNotContain("KERNEL PANIC");

    [Fact]
    public void TheRightPasswordLogsInAndTheShellRunsAsTheUserInTheHomeDirectory()
    {
        Session(AskForLogin, "student\nstudent\nid\nwhoami\npwd\necho mine > notes\ncat notes\necho x >> /etc/passwd\nexit 4\n").AssertStatus(4)
            .AssertLogContains("Log in as student (password student)")
            .AssertLogContains("Logged in as student (uid 1000)")
            .AssertLogContains("student@teachos:/home/student $ id")
            .AssertLogMatches(@"^uid=1000\(student\) gid=1000\(student\) groups=1000\(student\),100\(users\)$")
            .AssertLogMatches(@"^student$")
            .AssertLogMatches(@"^/home/student$")
            .AssertLogMatches(@"^mine$")                                   // the home directory is the student's
            .AssertLogContains("/etc/passwd: EACCES");                    // the account files are root's
    }

    [Fact]
    public void AWrongPasswordAndAnUnknownUserGetTheSameAnswerAndThreeFailuresEndTheSession()
    {
        BootResult result = Session(AskForLogin, "student\nwrong\nnosuchuser\nstudent\nroot\nstudent\n").AssertStatus(1)
            .AssertLogContains("login: too many failures")
            .AssertLogDoesNotContain("Logged in")
            .AssertLogDoesNotContain("no user");
        Assert.Equal(3, result.SerialLog.Split("Login incorrect").Length - 1);
    }

    [Fact]
    public void ASecondTryAfterAFailureLogsIn()
    {
        Session(AskForLogin, "root\nstudent\nroot\nroot\nid\nexit\n").AssertStatus(0)
            .AssertLogContains("Login incorrect")
            .AssertLogContains("root@teachos:/ $ id")
            .AssertLogMatches(@"^uid=0\(root\) gid=0\(root\) groups=0\(root\),10\(wheel\)$");
    }

    [Fact]
    public void AutologinSkipsThePasswordAndNologinLandsInRootsShell()
    {
        Session("autologin=student", "id\nexit 3\n").AssertStatus(3)
            .AssertLogMatches(@"^uid=1000\(student\) gid=1000\(student\)")
            .AssertLogDoesNotContain("Password:");
        Session("", "whoami\nexit 2\n").AssertStatus(2)
            .AssertLogContains("root@teachos:/ $ whoami")
            .AssertLogDoesNotContain("login:");
    }

    [Fact]
    public void SuAsksAUserForTheTargetsPasswordAndAsksRootNothing()
    {
        Session(AskForLogin, "student\nstudent\nsu\nstudent\nsu\nroot\nid\nexit\nsu - student\nstudent\nwhoami\npwd\nexit\nexit 5\n").AssertStatus(5)
            .AssertLogContains("su: Authentication failure")
            .AssertLogMatches(@"^uid=0\(root\) gid=0\(root\) groups=0\(root\),10\(wheel\)$")
            .AssertLogMatches(@"^student$");
        Session("", "su student\nid\nexit\nexit 6\n").AssertStatus(6)
            .AssertLogMatches(@"^uid=1000\(student\) gid=1000\(student\)")
            .AssertLogDoesNotContain("Password:");
    }

    [Fact]
    public void PasswdChangesAPasswordAndTheNewOneWorksAtTheNextLogin()
    {
        // A student changes their own password (passwd is setuid root), then proves it with su.
        Session(AskForLogin, "student\nstudent\npasswd\nstudent\nn3w\nn3w\nsu student\nstudent\nsu student\nn3w\nid\nexit\nexit 7\n").AssertStatus(7)
            .AssertLogContains("passwd: password changed")
            .AssertLogContains("su: Authentication failure")
            .AssertLogMatches(@"^uid=1000\(student\) gid=1000\(student\)");
        // Root changes the student's without the old one; login, started from root's shell, takes the new one.
        Session("", "passwd student\nfresh\nfresh\nlogin\nstudent\nstudent\nstudent\nfresh\nid\nexit\nexit 8\n").AssertStatus(8)
            .AssertLogContains("passwd: password changed")
            .AssertLogContains("Login incorrect")
            .AssertLogContains("Logged in as student (uid 1000)")
            .AssertLogMatches(@"^uid=1000\(student\) gid=1000\(student\)");
    }

    [Fact]
    public void PasswdByAUserMayNotChangeAnotherUsersPassword()
    {
        Session(AskForLogin, "student\nstudent\npasswd root\nexit 9\n").AssertStatus(9)
            .AssertLogContains("passwd: only root may change another user's password");
    }

    [Fact]
    public void MalformedAndDuplicatePasswdLinesAreRefusedWithAMessageAndLoginGoesOn()
    {
        Session("", "echo brokenline >> /etc/passwd\necho student:x:0:0:root-in-disguise:/:/bin/sh >> /etc/passwd\n" +
                    "echo eve:x:12ab:0::/:/bin/sh >> /etc/passwd\nlogin\nstudent\nstudent\nid\nexit\nexit 10\n").AssertStatus(10)
            .AssertLogContains("login: /etc/passwd: line 5: an account has 7 fields separated by ':', this line has 1 (ignored)")
            .AssertLogContains("login: /etc/passwd: line 6: the user 'student' is already on line 4 (ignored)")
            .AssertLogContains("login: /etc/passwd: line 7: the user id '12ab' is not a number (ignored)")
            .AssertLogMatches(@"^uid=1000\(student\) gid=1000\(student\)");
    }
}
