using Xunit;
using Verify = TeachOS.Tests.Analyzers.AnalyzerTest<TeachOS.Analyzers.PrivilegedCallAnalyzer>;
using static TeachOS.Tests.Analyzers.Expect;
using Rule = TeachOS.Analyzers.PrivilegedCallAnalyzer;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>TOS0003: privileged operations only in architecture code.</summary>
    public class PrivilegedCallTests
    {
        private const string Cpu = @"
namespace Arch.X64
{
    public static class Cpu
    {
        [TeachOS.Boundary.Privileged] public static void Halt() { }
        [TeachOS.Boundary.Privileged] public static void OutByte(ushort port, byte value) { }
        public static void Idle() => Halt();                  // Arch.X64 may: no diagnostic
    }
}
namespace Arch.X64.Apic
{
    public static class LocalApic
    {
        public static void Stop() => Arch.X64.Cpu.Halt();       // nested in Arch.X64: allowed
    }
}
";

        [Fact]
        public Task CallFromSchedulerIsReported() => Verify.Run("kernel", Cpu + @"
namespace Sched
{
    public static class Scheduler
    {
        public static void Idle() { {|#0:Arch.X64.Cpu.Halt()|}; }
    }
}",
            At(Rule.Rule, 0, "Cpu.Halt", "Scheduler.Idle", "namespace Sched"));

        [Fact]
        public Task MethodGroupAndLambdaAreReported() => Verify.Run("kernel", Cpu + @"
namespace Drivers
{
    public delegate void PortWrite(ushort port, byte value);
    public delegate void Action();

    public static unsafe class Serial
    {
        public static void Send(byte b)
        {
            PortWrite write = {|#0:Arch.X64.Cpu.OutByte|};
            Action halt = () => {|#1:Arch.X64.Cpu.Halt()|};
            delegate*<void> pointer = &{|#2:Arch.X64.Cpu.Halt|};
        }
    }
}",
            At(Rule.Rule, 0, "Cpu.OutByte", "Serial.Send", "namespace Drivers"),
            At(Rule.Rule, 1, "Cpu.Halt", "Serial.Send", "namespace Drivers"),
            At(Rule.Rule, 2, "Cpu.Halt", "Serial.Send", "namespace Drivers"));

        [Fact]
        public Task GlobalNamespaceIsReported() => Verify.Run("kernel", Cpu + @"
public static class KernelMain
{
    public static void Main() { {|#0:Arch.X64.Cpu.Halt()|}; }
}",
            At(Rule.Rule, 0, "Cpu.Halt", "KernelMain.Main", "the global namespace"));

        [Fact]
        public Task ArchitectureCodeAndUnmarkedMethodsAreFine() => Verify.Run("kernel", Cpu + @"
namespace Sched
{
    public static class Scheduler
    {
        public static void Idle() => Arch.X64.Cpu.Idle();   // the API, not the instruction
    }
}");

        [Fact]
        public Task ANamespaceThatOnlyStartsLikeArchX64IsNotArchitectureCode() => Verify.Run("kernel", Cpu + @"
namespace Arch.X64Tools
{
    public static class Tool
    {
        public static void Stop() { {|#0:Arch.X64.Cpu.Halt()|}; }
    }
}",
            At(Rule.Rule, 0, "Cpu.Halt", "Tool.Stop", "namespace Arch.X64Tools"));

        [Fact]
        public Task OtherRolesAreNotChecked() => Verify.Run("user", Cpu + @"
namespace Sched
{
    public static class Scheduler { public static void Idle() => Arch.X64.Cpu.Halt(); }
}");

        [Fact]
        public async Task TheMessageTeaches()
        {
            var test = new Verify("kernel", Cpu + @"
namespace Mem { public static class Pages { public static void Flush() { {|#0:Arch.X64.Cpu.Halt()|}; } } }");
            test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Rule.Rule).WithLocation(0).WithMessage(
                "'Cpu.Halt' is [Privileged]: it executes a privileged instruction, and only code in namespace Arch.X64 may call it, " +
                "but 'Pages.Flush' is in namespace Mem. Keeping every privileged instruction in the architecture layer puts the " +
                "hardware's rules (interrupts on and off, ports, control registers, page tables) in one folder that can be read, " +
                "checked and ported on its own. Call the Arch.X64 API that wraps it (or add one there)."));
            await test.RunAsync();
        }
    }
}
