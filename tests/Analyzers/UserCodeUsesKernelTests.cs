using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TeachOS.Tests.Analyzers.AnalyzerTest<TeachOS.Analyzers.UserCodeUsesKernelAnalyzer>;
using static TeachOS.Tests.Analyzers.Expect;
using Rule = TeachOS.Analyzers.UserCodeUsesKernelAnalyzer;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>TOS0001: user code may not use the kernel.</summary>
    public class UserCodeUsesKernelTests
    {
        /// <summary>A stand-in for the kernel's assembly: named Kernel, with two of its namespaces.</summary>
        private static readonly Lazy<MetadataReference> Kernel = new(() => TeachOSRuntime.CompileText("Kernel", @"
namespace Sched
{
    public static class Scheduler { public static void Yield() { } public static Thread Current => null; }
    public class Thread { public int Id; }
}
namespace Arch.X64 { public static class Cpu { public static void Halt() { } } }"));

        private static Verify WithKernel(string source, params DiagnosticResult[] expected)
        {
            var test = new Verify("user", source, expected);
            test.TestState.AdditionalReferences.Add(Kernel.Value);
            return test;
        }

        [Fact]
        public Task KernelSymbolsAreReportedOncePerUse() => WithKernel(@"
using {|#0:Sched|};

public static class Program
{
    public static int Main()
    {
        {|#1:Scheduler|}.Yield();                 // through the using
        {|#2:Sched|}.Scheduler.Current.Id.ToString();     // qualified: once, at the start
        {|#3:Arch|}.X64.Cpu.Halt();
        return 0;
    }
}",
            At(Rule.Rule, 0, "'using Sched' names the kernel namespace 'Sched'"),
            At(Rule.Rule, 1, "'Sched.Scheduler' is part of the kernel (assembly Kernel)"),
            At(Rule.Rule, 2, "'Sched' is a kernel namespace"),
            At(Rule.Rule, 3, "'Arch' is a kernel namespace")).RunAsync();

        [Fact]
        public Task KernelTypesInDeclarationsAreReported() => WithKernel(@"
public static class Program
{
    private static {|#0:Sched|}.Thread _thread;
    public static int Id({|#1:Sched|}.Thread thread) => thread.Id;
}",
            At(Rule.Rule, 0, "'Sched' is a kernel namespace"),
            At(Rule.Rule, 1, "'Sched' is a kernel namespace")).RunAsync();

        [Fact]
        public Task KernelNamespacesWithoutAReferenceAreExplained()
        {
            // Without a reference the compiler only says "not found" (CS0246, CS0103); TOS0001 says why.
            var test = new Verify("user", @"
using {|#0:Sched|};
using {|#1:Arch.X64|};

public static class Program
{
    public static void Main() { {|#2:Sched|}.Scheduler.Yield(); }
}",
                At(Rule.Rule, 0, "'using Sched' names the kernel namespace 'Sched'"),
                At(Rule.Rule, 1, "'using Arch.X64' names the kernel namespace 'Arch'"),
                At(Rule.Rule, 2, "'Sched' is a kernel namespace"));
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            return test.RunAsync();
        }

        [Fact]
        public Task AKernelSourceFileIsReported()
        {
            var test = new Verify("user", null);
            test.SetGlobalOptions("user", projectDirectory: "/repo/userland/Programs/");
            test.TestState.Sources.Add(("/repo/userland/Programs/hello.cs", "public static class Hello { public static int Main() => 0; }"));
            test.TestState.Sources.Add(("/repo/kernel/Sched/RunQueue.cs", "namespace Sched { public class RunQueue { } }"));
            // A linked file, as <Compile Include="../../kernel/..."/> hands it to the compiler.
            test.TestState.Sources.Add(("/repo/userland/Programs/../../kernel/Boot/CommandLine.cs", "namespace Boot { public class CommandLine { } }"));
            test.ExpectedDiagnostics.Add(new DiagnosticResult(Rule.Rule).WithSpan("/repo/kernel/Sched/RunQueue.cs", 1, 1, 1, 10)
                .WithArguments("this file is kernel source (/repo/kernel/Sched/RunQueue.cs) compiled into user code"));
            test.ExpectedDiagnostics.Add(new DiagnosticResult(Rule.Rule).WithSpan("/repo/userland/Programs/../../kernel/Boot/CommandLine.cs", 1, 1, 1, 10)
                .WithArguments("this file is kernel source (/repo/kernel/Boot/CommandLine.cs) compiled into user code"));
            return test.RunAsync();
        }

        [Fact]
        public Task ACheckoutUnderADirectoryNamedKernelIsFine()
        {
            var test = new Verify("user", null);
            test.SetGlobalOptions("user", projectDirectory: "/home/kernel/teachos/userland/Programs/");
            test.TestState.Sources.Add(("/home/kernel/teachos/userland/Programs/hello.cs", "public static class Hello { public static int Main() => 0; }"));
            test.TestState.Sources.Add(("/home/kernel/teachos/userland/Programs/../Lib/Console.cs", "public static class Console { }"));
            return test.RunAsync();
        }

        [Fact]
        public Task UserCodeOwnNamespacesAndTheUserLibraryAreFine() => WithKernel(@"
using Time;

namespace Time { public static class Stopwatch { public static long Now() => 0; } }

public static class Program
{
    public static long Main() => Stopwatch.Now() + Time.Stopwatch.Now();
}").RunAsync();

        [Fact]
        public Task KernelCodeIsNotChecked() => Verify.Run("kernel", @"
namespace Sched { public static class Scheduler { public static void Yield() { } } }
namespace Syscalls { public static class TimeSyscalls { public static long Yield() { Sched.Scheduler.Yield(); return 0; } } }");

        [Fact]
        public Task TheMessageTeaches()
        {
            var test = WithKernel("public static class P { public static void M() => {|#0:Sched|}.Scheduler.Yield(); }");
            test.ExpectedDiagnostics.Add(new DiagnosticResult(Rule.Rule).WithLocation(0).WithMessage(
                "User code may not use the kernel: 'Sched' is a kernel namespace. A program runs in ring 3, in an address space " +
                "where the kernel's code and data are not mapped; its only way into the kernel is a system call. Call the " +
                "TeachOS.Sys method for what you need (one per syscall, listed in abi/Syscalls.cs) instead."));
            return test.RunAsync();
        }
    }
}
