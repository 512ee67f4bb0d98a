using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Each CPU exception raised on purpose in kernel mode (kernel/Tests/TrapTests.cs) must produce a
/// report that names it, decodes its error code, shows the registers and the privilege level, and
/// names the faulting C# method. Checked field by field.
/// </summary>
public class TrapTests
{
    private const string Hex16 = "0x[0-9a-f]{16}";

    private static BootResult Fault(string test) => Qemu.Boot("test=" + test).AssertStatus(BootResult.StatusPanic);

    private static void AssertRegistersAndRing0(BootResult result) => result
        .AssertLogMatches($@"^  rax: {Hex16}  rbx: {Hex16}  rcx: {Hex16}$")
        .AssertLogMatches($@"^  r15: {Hex16}  rfl: {Hex16}  cr3: {Hex16}$")
        .AssertLogMatches(@"^  cs: 0x0008  ss: 0x0010  cpl: 0 \(kernel\)$");

    [Fact]
    public void DivideByZeroIsDE()
    {
        var result = Fault("divide-error")
            .AssertLogContains("exception #DE Divide Error (vector 0) in kernel mode (ring 0)")
            .AssertLogMatches(@"^  error code: 0x0$")
            .AssertLogMatches($@"^  rip: {Hex16}  Tests\.TrapTests\.DivideByZero\+0x[0-9a-f]+$")
            .AssertLogMatches(@"^  #0\s+0x[0-9a-f]+  Tests\.TrapTests\.DivideByZero\+");
        AssertRegistersAndRing0(result);
    }

    [Fact]
    public void Ud2IsUDWithTheCallerInTheBacktrace()
    {
        var result = Fault("invalid-opcode")
            .AssertLogContains("exception #UD Invalid Opcode (vector 6) in kernel mode (ring 0)")
            .AssertLogMatches($@"^  rip: {Hex16}  test_invalid_opcode\+0x0$")
            .AssertLogMatches(@"^  #1\s+0x[0-9a-f]+  Tests\.TrapTests\.InvalidOpcode\+");
        AssertRegistersAndRing0(result);
    }

    [Fact]
    public void NonCanonicalAddressIsGP()
    {
        var result = Fault("general-protection")
            .AssertLogContains("exception #GP General Protection (vector 13) in kernel mode (ring 0)")
            .AssertLogMatches(@"^  error code: 0x0$")
            .AssertLogContains("a privileged instruction, a non-canonical address, or a bad segment load")
            .AssertLogMatches($@"^  rip: {Hex16}  Tests\.TrapTests\.GeneralProtection\+");
        AssertRegistersAndRing0(result);
    }

    [Fact]
    public void ReadOfUnmappedPageIsPFWithCr2()
    {
        var result = Fault("page-fault-read")
            .AssertLogContains("exception #PF Page Fault (vector 14) in kernel mode (ring 0)")
            .AssertLogMatches(@"^  error code: 0x0 = page not present, read, from supervisor mode$")
            .AssertLogMatches(@"^  cr2: 0xffffff0000001000 \(unmapped kernel space\)$")
            .AssertLogMatches($@"^  rip: {Hex16}  Tests\.TrapTests\.PageFaultRead\+");
        AssertRegistersAndRing0(result);
    }

    [Fact]
    public void WriteToKernelCodeIsPFProtectionViolation()
    {
        var result = Fault("page-fault-write")
            .AssertLogContains("exception #PF Page Fault (vector 14) in kernel mode (ring 0)")
            .AssertLogMatches(@"^  error code: 0x3 = protection violation, write, from supervisor mode$")
            .AssertLogMatches(@"^  cr2: 0xffffffff801[0-9a-f]{5} \(kernel image\)$")
            .AssertLogMatches($@"^  rip: {Hex16}  Tests\.TrapTests\.PageFaultWrite\+");
        AssertRegistersAndRing0(result);
    }

    [Fact]
    public void NullDereferenceIsReportedAsSuch()
    {
        var result = Fault("null-dereference")
            .AssertLogMatches(@"^  cr2: 0x00000000000000[0-9a-f]{2} \(page 0 \(null pointer\)\)$")
            .AssertLogContains("null dereference: the code used a null reference or pointer")
            .AssertLogMatches($@"^  rip: {Hex16}  Tests\.TrapTests\.NullDereference\+");
        AssertRegistersAndRing0(result);
    }

    [Fact]
    public void KernelStackOverflowIsADoubleFaultOnItsOwnStack()
    {
        var result = Fault("stack-overflow")
            .AssertLogContains("exception #DF Double Fault (vector 8) in kernel mode (ring 0)")
            .AssertLogMatches(@"interrupted rsp 0x[0-9a-f]{16} is in the boot stack's guard page \(stack overflow\)")
            .AssertLogContains("runs on the double-fault stack, IST1")
            .AssertLogMatches(@"Tests\.TrapTests\.Recurse\+0x[0-9a-f]+\n      \.\.\. the frame above repeats \d+ more times")
            .AssertLogMatches(@"Tests\.TrapTests\.StackOverflow\+");
        AssertRegistersAndRing0(result);
    }

    [Fact]
    public void PanicInAnInterruptHandlerShowsTheTrapBoundary()
    {
        Fault("panic-in-interrupt")
            .AssertLogContains("deliberate panic from a timer interrupt handler")
            .AssertLogContains("--- trap: vector 48 (local APIC timer) interrupted ring 0 ---")
            .AssertLogMatches(@"Tests\.TrapTests\.PanicInInterrupt\+0x");
    }

    [Fact]
    public void BreakpointIsReportedAndResumed()
    {
        Qemu.Boot("test=breakpoint").AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^breakpoint \(#BP\) at cpu_breakpoint\+0x0 in ring 0, resuming$")
            .AssertLogContains("test breakpoint ok");
    }

    [Fact]
    public void SingleStepDebugExceptionIsHandled()
    {
        Qemu.Boot("test=debug-trap").AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^debug exception \(#DB\) at test_single_step\+0x[0-9a-f]+, single-stepping off, resuming$")
            .AssertLogContains("test debug-trap ok");
    }

    [Fact]
    public void TimerAdvances()
    {
        Qemu.Boot("test=timer").AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("timer: 1000 Hz; interrupts on")
            .AssertLogMatches(@"^  ticks: \d+, uptime: \d+ ms, tsc: \d+ MHz$")
            .AssertLogContains("test timer ok");
    }

    [Fact]
    public void TimerRateComesFromTheCommandLine()
    {
        Qemu.Boot("test=timer hz=250").AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("timer: 250 Hz; interrupts on")
            .AssertLogContains("test timer ok");
    }

    [Fact]
    public void TraceTrapsLogsTheStackSwitchPicture()
    {
        Qemu.Boot("test=breakpoint trace-traps").AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches($@"^trap: vector 3 \(Breakpoint\) from ring 0 rip {Hex16} rsp before {Hex16} after {Hex16}$")
            .AssertLogDoesNotContain("(local APIC timer) from ring");
    }
}
