using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TeachOS.Tests.Analyzers.AnalyzerTest<TeachOS.Analyzers.LayerAnalyzer>;
using static TeachOS.Tests.Analyzers.Expect;
using Rule = TeachOS.Analyzers.LayerAnalyzer;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>TOS0008: a layer may use only itself and the layers below it (kernel/Layers.txt).</summary>
    public class LayerTests
    {
        /// <summary>Three layers, bottom first: Arch, Mem, Sched.</summary>
        private const string Table = @"# a small kernel
layer Runtime  the base library
layer Arch     instructions
layer Mem      memory
layer Sched    threads

namespace System    Runtime
namespace TeachOS   Runtime
namespace Arch      Arch
namespace Mem       Mem
namespace Sched     Sched
";

        /// <summary>The layers' code; each test adds one file that uses them.</summary>
        private const string Layers = @"
namespace Arch.X64 { public static class Cpu { public static void Pause() { } } }
namespace Mem
{
    public static class Frames { public static ulong Allocate() => 0; public const int Size = 4096; }
    public sealed class AddressSpace { public ulong Root; }
}
namespace Sched
{
    public static class Scheduler { public static void Yield() { } public static Thread Current => null; }
    public sealed class Thread { public int Id; public Mem.AddressSpace Space; }
}";

        private static Verify Kernel(string source, string table = Table, params DiagnosticResult[] expected)
        {
            var test = new Verify("kernel", source, expected);
            test.TestState.Sources.Add(("/Layers.cs", Layers));
            test.TestState.AdditionalFiles.Add(("/Layers.txt", table));
            return test;
        }

        private static DiagnosticResult Use(int location, string from, string fromLayer, string what, string to, string toLayer) =>
            At(Rule.Rule, location, from, fromLayer, what, to, toLayer);

        private static DiagnosticResult InTable(int line, int column, int endColumn, string problem) =>
            new DiagnosticResult(Rule.TableRule).WithSpan("/Layers.txt", line, column, line, endColumn).WithArguments(problem);

        // ---- allowed edges --------------------------------------------------------------------------

        [Fact]
        public Task ALayerMayUseItselfAndTheLayersBelow() => Kernel(@"
using Mem;
using Arch.X64;
using static Mem.Frames;

namespace Sched
{
    public static class Sleep
    {
        public static void Wait(Thread thread)
        {
            Scheduler.Yield();                   // its own layer
            Cpu.Pause();                         // two layers down, through the using
            Arch.X64.Cpu.Pause();                // qualified
            ulong frame = Allocate() + Frames.Size;   // through using static, and through the using
            AddressSpace space = thread.Space;
            space.Root = frame;
        }
    }
}").RunAsync();

        [Fact]
        public Task TheRuntimeIsUsableFromEveryLayer() => Kernel(@"
namespace Arch.X64
{
    public static class Words { public static int Length(string text) => System.Math.Max(text.Length, 0); }
}").RunAsync();

        // ---- forbidden edges ------------------------------------------------------------------------

        [Fact]
        public Task AUsingDirectiveOfAHigherLayerIsReported() => Kernel(@"
using {|#0:Sched|};

namespace Mem
{
    public static class Stacks { public static void Free() => {|#1:Scheduler|}.Yield(); }
}",
            expected: new[]
            {
                Use(0, "Mem", "Mem", "'Sched'", "Sched", "Sched"),
                Use(1, "Mem", "Mem", "'Sched.Scheduler'", "Sched", "Sched"),
            }).RunAsync();

        [Fact]
        public Task AQualifiedNameIsReportedOncePerUse() => Kernel(@"
namespace Arch.X64
{
    public static class Tables
    {
        private static Sched.{|#0:Thread|} _owner;
        public static int Owner() => Sched.{|#1:Scheduler|}.Current.Id + _owner.Id;   // one use, not one per dot
        public static ulong Frame() => Mem.{|#2:Frames|}.Allocate();
    }
}",
            expected: new[]
            {
                Use(0, "Arch.X64", "Arch", "'Sched.Thread'", "Sched", "Sched"),
                Use(1, "Arch.X64", "Arch", "'Sched.Scheduler'", "Sched", "Sched"),
                Use(2, "Arch.X64", "Arch", "'Mem.Frames'", "Mem", "Mem"),
            }).RunAsync();

        [Fact]
        public Task UsingStaticIsReportedAtTheDirectiveAndAtEachMember() => Kernel(@"
using static {|#0:Sched.Scheduler|};

namespace Mem
{
    public static class Reclaim { public static void Run() => {|#1:Yield|}(); }
}",
            expected: new[]
            {
                Use(0, "Mem", "Mem", "'Sched.Scheduler'", "Sched", "Sched"),
                Use(1, "Mem", "Mem", "'Sched.Scheduler.Yield()'", "Sched", "Sched"),
            }).RunAsync();

        [Fact]
        public Task AnAliasIsAUseOfWhatItNames() => Kernel(@"
using Runner = {|#0:Sched.Scheduler|};

namespace Mem
{
    public static class Reclaim { public static void Run() => {|#1:Runner|}.Yield(); }
}",
            expected: new[]
            {
                Use(0, "Mem", "Mem", "'Sched.Scheduler'", "Sched", "Sched"),
                Use(1, "Mem", "Mem", "'Sched.Scheduler'", "Sched", "Sched"),
            }).RunAsync();

        // ---- the table itself -----------------------------------------------------------------------

        [Fact]
        public Task ANamespaceInAnUndeclaredLayerIsReported() => Kernel("", Table + "namespace Net  Network\n",
            expected: InTable(12, 1, 23, "the namespace 'Net' is placed in the layer 'Network', which no 'layer' line declares")).RunAsync();

        [Fact]
        public Task ANamespaceInTwoLayersIsReported() => Kernel("", Table + "namespace Mem  Sched   # again\n",
            expected: InTable(12, 1, 21, "the namespace 'Mem' is placed in two layers, 'Mem' and 'Sched'")).RunAsync();

        [Fact]
        public Task AKernelNamespaceInNoLayerIsReported() => Kernel(@"
namespace Fs { public static class Files { } }
namespace Fs.Ram { public static class Nodes { } }",
            expected: new[]
            {
                InTable(12, 1, 1, "the kernel's namespace 'Fs' is in no layer; add a line 'namespace Fs LAYER'"),
                InTable(12, 1, 1, "the kernel's namespace 'Fs.Ram' is in no layer; add a line 'namespace Fs.Ram LAYER'"),
            }).RunAsync();

        [Fact]
        public Task ALineOfNeitherKindIsReported() => Kernel("", Table + "Mem -> Arch\n",
            expected: InTable(12, 1, 12, "a line must read 'layer NAME purpose' or 'namespace NAMESPACE LAYER', not 'Mem -> Arch'")).RunAsync();

        [Fact]
        public Task ANestedNamespaceBelongsToTheNearestListedOne() => Kernel(@"
namespace Mem.Heap
{
    public static class Pages { public static void Give() => Arch.X64.Cpu.Pause(); public static ulong Count => 0; }
}
namespace Arch.X64.Apic
{
    public static class Timer { public static ulong Pages() => Mem.Heap.{|#0:Pages|}.Count; }
}",
            expected: Use(0, "Arch.X64.Apic", "Arch", "'Mem.Heap.Pages'", "Mem.Heap", "Mem")).RunAsync();

        // ---- when the rule is silent ----------------------------------------------------------------

        [Fact]
        public Task WithoutATableNothingIsReported()
        {
            var test = new Verify("kernel", "namespace Mem { public static class Stacks { public static void Free() => Sched.Scheduler.Yield(); } }");
            test.TestState.Sources.Add(("/Layers.cs", Layers));
            return test.RunAsync();
        }

        [Fact]
        public Task UserCodeIsNotChecked()
        {
            var test = new Verify("user", "namespace Mem { public static class Stacks { public static void Free() => Sched.Scheduler.Yield(); } }");
            test.TestState.Sources.Add(("/Layers.cs", Layers));
            test.TestState.AdditionalFiles.Add(("/Layers.txt", Table));
            return test.RunAsync();
        }
    }
}
