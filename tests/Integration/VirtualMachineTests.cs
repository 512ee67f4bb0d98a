using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The hypervisor (kernel/Virt; docs/guide/14-virtual-machines.md). QEMU's `-cpu max`, which every boot
/// uses, has AMD SVM with nested paging under TCG. vmtests (userland/Programs/vmtests.cs) runs the guests
/// of guests/ and checks their exits, refusals, kills and frame counts; `vm run` shows what a student
/// sees, the virtual timer's and disk's guests too; a CPU without SVM gets ENODEV and a clear message.
/// </summary>
public class VirtualMachineTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public void VmTestsPass(string smp)
    {
        var result = Qemu.Boot("init=/bin/vmtests", timeoutSeconds: 240, smp: smp)
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertLogContains("test vm-hello: OK")
            .AssertLogContains("test vm-endless-killed: OK")
            .AssertLogContains("test vm-ticks: OK")
            .AssertLogContains("test vm-disk: OK")
            .AssertLogContains("test vm-trap-sensitive: OK")
            .AssertLogMatches(@"^vmtests: 20 passed, 0 failed$")
            .AssertStatus(0);
        UserModeTests.AssertNoFramesLost(result);       // every guest's frames, the killed ones' too
    }

    [Fact]
    public void VmRunPrintsTheGuestsConsoleAndItsExit()
    {
        Qemu.BootWithInput("",
                "vm run /guests/hello.bin\nvm run /guests/outside.bin --mem 2\nvm run /guests/triple.bin\n"
                + "vm run /guests/ticks.bin\nvm run /guests/disk.bin --disk /guests/disk.img\nexit 0\n",
                timeoutSeconds: 120)
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogMatches(@"^guest\| hello from the guest$")
            .AssertLogMatches(@"^guest\| 1 \+ 2 \+ \.\.\. \+ 100 = 5050$")
            .AssertLogMatches(@"^guest\| cpuid 0x40000000: TeachOSVM$")
            .AssertLogMatches(@"^vm: halted at rip 0x108c \(exit 0x78\): \d+ exits: \d+ I/O, 1 CPUID, \d+ interrupts$")
            .AssertLogMatches(@"^vm \d+: nested page fault: guest-physical 0x10000000 \(read, outside its 2 MiB\) at rip 0x100a; guest stopped$")
            .AssertLogMatches(@"^vm: nested page fault at guest-physical 0x10000000 at rip 0x100a \(exit 0x400\)")
            .AssertLogMatches(@"^vm: shutdown \(triple fault\) at rip 0x100a \(exit 0x7f\)")
            .AssertLogMatches(@"^guest\| counted (\d+) ticks; the timer delivered \1$")
            .AssertLogMatches(@"^vm: halted at rip 0x[0-9a-f]+ \(exit 0x78\): \d+ exits: .*; [1-9]\d* timer interrupts injected, [1-9]\d* window exits, [1-9]\d* halts waited$")
            .AssertLogMatches(@"^guest\| disk: 4 sectors$")
            .AssertLogMatches(@"^guest\|   \| TeachOS virtual disk, sector 0: disk.bin prints this line$")
            .AssertLogMatches(@"^guest\|   \| written by the guest$")
            .AssertLogMatches(@"^guest\| write sector 4294967295: status 1$")
            .AssertLogMatches(@"; disk: 2 sectors read, 1 written$");
    }

    // The trap-and-emulate backend (kernel/Virt/TrapEmulate) from the shell: the same guest as on SVM,
    // with its privileged instructions counted, and the sensitive ones' leak.
    [Fact]
    public void VmRunOnTheTrapBackend()
    {
        Qemu.BootWithInput("",
                "vm run /guests/twice.bin\nvm run --backend trap /guests/twice.bin\nvm run --backend trap /guests/sensitive.bin\n"
                + "vm run --backend other /guests/twice.bin\nexit 0\n",
                timeoutSeconds: 120)
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogMatches(@"^guest\| hello from a guest that runs on either backend$")
            .AssertLogMatches(@"^guest\| cr3 reads back 20480$")
            .AssertLogMatches(@"^vm: halted at rip 0x1058 \(exit 0x78\): \d+ exits: 186 I/O, 0 CPUID, \d+ interrupts$")
            .AssertLogMatches(@"^vm \(trap-and-emulate\): halted at rip 0x1058 \(exit 0xd\): 209 exits: 186 I/O, 0 CPUID, 0 interrupts; 22 privileged instructions emulated$")
            .AssertLogMatches(@"^guest\| after popf with IF clear, pushf shows IF=1$")
            .AssertLogMatches(@"^guest\| sgdt after lgdt of base 0x3000: base 0xffff[0-9a-f]{12}, limit 0x[0-9a-f]{4}$")
            .AssertLogContains("usage: vm run [--backend svm|trap] IMAGE");
    }

    [Fact]
    public void WithoutSvmTheCallsSayNoDevice()
    {
        Qemu.BootWithQemuArguments("init=/bin/vm run /guests/hello.bin", new[] { "-cpu", "max,-svm" })
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertLogContains("vm: this CPU has no AMD SVM with nested paging")
            .AssertStatus(2);
    }
}
