using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>The shell and the tools, driven through the serial console as a user would type.</summary>
public class ShellTests
{
    private static BootResult Session(string input) =>
        Qemu.BootWithInput("", input).AssertLogDoesNotContain("KERNEL PANIC");

    [Fact]
    public void ShellGreetsPromptsAndExitsWithItsStatus()
    {
        Session("exit 3\n").AssertStatus(3)
            .AssertLogContains("Welcome to TeachOS")
            .AssertLogContains("$ exit 3");
    }

    [Fact]
    public void ProgramsRunWithArguments()
    {
        Session("echo hello   world\nls /bin\ncat /etc/poem.txt\nexit\n").AssertStatus(0)
            .AssertLogMatches(@"^hello world$")
            .AssertLogMatches(@"^ +\d+  sh$")
            .AssertLogMatches(@"^ +\d+  usertests$")
            .AssertLogContains("The kernel sleeps on a halted core,");
    }

    [Fact]
    public void PipesConnectPrograms()
    {
        Session("cat /etc/poem.txt | wc\necho a b c | cat | wc\nexit\n").AssertStatus(0)
            .AssertLogMatches(@"^ +4 +25 +141$")
            .AssertLogMatches(@"^ +1 +3 +6$");
    }

    [Fact]
    public void RedirectionWritesAndReadsFiles()
    {
        Session("echo first > /notes.txt\necho second >> /notes.txt\nwc < /notes.txt\ncat /notes.txt\nexit\n").AssertStatus(0)
            .AssertLogMatches(@"^ +2 +2 +13$")
            .AssertLogMatches(@"^first\nsecond$");
    }

    [Fact]
    public void FileTreeCommandsAndTheCurrentDirectory()
    {
        Session("mkdir /t\ncd /t\necho hi > a\nln a b\nln -s a c\nls\nmv b d\nrm c\npwd\nfind / d\nfind /t a | xargs cat\ncd /nowhere\ncd ..\nexit\n")
            .AssertStatus(0)
            .AssertLogContains("/t $ ln -s a c")
            .AssertLogMatches(@"^ +3  a$")
            .AssertLogMatches(@"^ +3  b$")
            .AssertLogMatches(@"^ +1  c -> a$")
            .AssertLogMatches(@"^/t$")
            .AssertLogMatches(@"^/t/d$")
            .AssertLogMatches(@"^hi$")
            .AssertLogContains("cd: /nowhere: ENOENT")
            .AssertLogContains("/ $ exit");
    }

    [Fact]
    public void DeviceFilesSwallowGiveNothingAndReachTheConsole()
    {
        // cat /dev/console reads the next typed line (echoed as it is typed, then printed by cat) until Ctrl-D.
        Session("echo hi > /dev/null\nwc < /dev/null\nls /dev\ncat /dev/console\nthrough the console\n\u0004rm /dev/null\nexit\n").AssertStatus(1)     // the last command, rm, failed
            .AssertLogMatches(@"\$ echo hi > /dev/null\r?\n[^\n]*\$ wc < /dev/null")        // nothing printed between
            .AssertLogMatches(@"^ +0 +0 +0$")
            .AssertLogMatches(@"^ +0  console\n +0  null\n +0  tty\n +0  zero$")
            .AssertLogMatches(@"^through the console\nthrough the console$")
            .AssertLogContains("rm: /dev/null: EROFS");
    }

    [Fact]
    public void ExitStatusAndErrorsAreReported()
    {
        Session("sleep nonsense\nnosuchprogram\ncat /missing\nexit\n").AssertStatus(1)
            .AssertLogContains("sh: sleep: exit status 2")
            .AssertLogContains("sh: nosuchprogram: command not found")
            .AssertLogContains("cat: /missing: ENOENT");
    }

    [Fact]
    public void PsShowsEveryThreadWithStateTicksAndStack()
    {
        Session("ps\nexit\n").AssertStatus(0)
            .AssertLogMatches(@"^  PID   TID  PPID    UID  STATE     TICKS  KSTACK\(used/size\)  NAME$")
            .AssertLogMatches(@"^ +0 +1 +0 +0  blocked +\d+  boot stack +kmain$")
            .AssertLogMatches(@"^ +0 +2 +0 +0  (ready|running) +\d+  \d+/32768 +idle0$")
            .AssertLogMatches(@"^ +1 +\d+ +0 +0  blocked +\d+  \d+/32768 +init$")
            // The shell waits for ps (blocked), unless its quantum ran out between spawning ps and
            // calling wait: then ps runs first and finds it ready. Both are right.
            .AssertLogMatches(@"^ +\d+ +\d+ +1 +0  (blocked|ready) +\d+  \d+/32768 +sh$")
            .AssertLogMatches(@"^ +\d+ +\d+ +\d+ +0  running +\d+  \d+/32768 +ps$");
    }

    [Fact]
    public void KillEndsAnotherProcess()
    {
        Session("kill 99999\nkill 1\nexit\n").AssertStatus(137)
            .AssertLogContains("kill: 99999: ESRCH");
    }

    [Fact]
    public void IsoBootLandsInTheShell()
    {
        // Two CPUs: GRUB hands over ACPI's root pointer, from which the kernel finds the second one.
        Qemu.BootUntil("Welcome to TeachOS", iso: true, smp: "2").AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("(Multiboot 2)")
            .AssertLogMatches(@"^smp: 2 logical CPUs online; starting the others took \d+ us$")
            .AssertLogMatches(@"^initrd: \d+ files$");
    }
}
