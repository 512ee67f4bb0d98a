using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TeachOS.Tests.Analyzers.AnalyzerTest<TeachOS.Analyzers.InterruptContextAnalyzer>;
using static TeachOS.Tests.Analyzers.Expect;
using Rule = TeachOS.Analyzers.InterruptContextAnalyzer;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>TOS0004: interrupt context may not allocate or block.</summary>
    public class InterruptContextTests
    {
        private const string Usings = "using TeachOS.Boundary;\n";

        [Fact]
        public Task EveryKindOfAllocationIsReported() => Verify.Run("kernel", Usings + @"
namespace Traps
{
    public delegate void Work();
    public class Event { }
    public struct Tick { public long Count; }

    public static class Timer
    {
        private static string _name = ""timer"";
        private static int[] _ticks;
        private static object _boxed;
        private static Work _work;

        [InterruptContext]
        public static void OnTick()
        {
            Event e = {|#0:new Event()|};
            _ticks = {|#1:new int[4]|};
            _boxed = {|#2:5|};
            _name = {|#3:_name + _name|};
            _name = {|#4:$""tick {_name}""|};
            _work = {|#5:() => { }|};
            _ticks = {|#6:[1, 2, 3]|};
            {|#7:_name += _name|};

            // None of these allocate:
            Tick tick = new Tick();
            tick.Count++;
            const string constant = ""a"" + ""b"";
            unsafe { byte* scratch = stackalloc byte[16]; scratch[0] = 1; }
        }
    }
}",
            At(Rule.Rule, 0, "Timer.OnTick", "creates a 'Traps.Event' object with new here"),
            At(Rule.Rule, 1, "Timer.OnTick", "creates an array 'int[]' here"),
            At(Rule.Rule, 2, "Timer.OnTick", "boxes a 'int' into an object here"),
            At(Rule.Rule, 3, "Timer.OnTick", "concatenates strings with +, which builds a new string here"),
            At(Rule.Rule, 4, "Timer.OnTick", "builds an interpolated string here"),
            At(Rule.Rule, 5, "Timer.OnTick", "creates a delegate for a lambda here"),
            At(Rule.Rule, 6, "Timer.OnTick", "builds a collection expression, which may allocate its storage here"),
            At(Rule.Rule, 7, "Timer.OnTick", "appends to a string with +=, which builds a new string here"));

        [Fact]
        public Task CallingABlockingMethodIsReported() => Verify.Run("kernel", Usings + @"
namespace Sched
{
    public static class Semaphore
    {
        [MayBlock] public static void Wait() { }
        public static void Signal() { }
    }
    public static class Keyboard
    {
        [InterruptContext]
        public static void OnKey()
        {
            {|#0:Semaphore.Wait()|};
            Semaphore.Signal();   // waking a thread is fine
        }
    }
}",
            At(Rule.Rule, 0, "Keyboard.OnKey", "calls 'Semaphore.Wait', which may block (it is marked [MayBlock])"));

        [Fact]
        public Task AllocationAndBlockingAreFoundThroughCalls() => Verify.Run("kernel", Usings + @"
namespace Diagnostics
{
    public static class Text
    {
        public static string Format(string a, string b)
        {
            return a + b;
        }
    }
    public static class Log
    {
        public static void Write(string a) => Text.Format(a, a);
        public static int Count { get { Sched.Lock.Take(); return 0; } }
    }
}
namespace Sched
{
    public static class Lock { [TeachOS.Boundary.MayBlock] public static void Take() { } }
}
namespace Traps
{
    public static class Timer
    {
        [InterruptContext]
        public static void OnTick()
        {
            {|#0:Diagnostics.Log.Write(""tick"")|};
            int n = {|#1:Diagnostics.Log.Count|};
        }
    }
}",
            At(Rule.Rule, 0, "Timer.OnTick", "calls 'Log.Write', which calls 'Text.Format', which allocates at 0/Test0.cs:9 (it concatenates strings with +, which builds a new string)"),
            At(Rule.Rule, 1, "Timer.OnTick", "calls 'Log.get_Count', which calls 'Lock.Take', which may block (it is marked [MayBlock])"));

        [Fact]
        public async Task OtherAssembliesCountOnlyByTheirMarks()
        {
            MetadataReference library = TeachOSRuntime.CompileText("Library", @"
namespace Library
{
    public static class Strings
    {
        [TeachOS.Boundary.MayAllocate] public static string Copy(string s) => s + s;
        public static int Length(string s) => s.Length;            // unmarked: not followed
        public static string Hidden(string s) => s + s;             // unmarked: cannot be seen from here
    }
}");
            var test = new Verify("kernel", Usings + @"
namespace Traps
{
    public static class Timer
    {
        [InterruptContext]
        public static int OnTick(string s)
        {
            {|#0:Library.Strings.Copy(s)|};
            Library.Strings.Hidden(s);
            return Library.Strings.Length(s);
        }
    }
}",
                At(Rule.Rule, 0, "Timer.OnTick", "calls 'Strings.Copy', which may allocate (it is marked [MayAllocate])"));
            test.TestState.AdditionalReferences.Add(library);
            await test.RunAsync();
        }

        [Fact]
        public Task CleanHandlersCyclesAndOtherInterruptMethodsAreFine() => Verify.Run("kernel", Usings + @"
namespace Traps
{
    public static class Timer
    {
        private static long _ticks;
        private static string _name;

        [InterruptContext] public static void OnTick() { Count(3); Other(); }

        // Recursion ends the search (visited set): no allocation anywhere, so nothing to report.
        private static void Count(int n) { _ticks++; if (n > 0) Again(n - 1); }
        private static void Again(int n) => Count(n);

        // Another interrupt method is checked on its own: its allocation is reported there, once.
        [InterruptContext] public static void Other() { _name = {|#0:_name + _name|}; }

        // Not interrupt context: allocating is fine here.
        public static void Later() { _name = _name + _name; }
    }
}",
            At(Rule.Rule, 0, "Timer.Other", "concatenates strings with +, which builds a new string here"));

        [Fact]
        public Task AnInterpolatedStringGivenToAHandlerIsCheckedThroughTheHandler() => Verify.Run("kernel", Usings + @"
namespace Terminal
{
    // Writes each piece as the compiler hands it over: nothing is built, nothing allocated.
    [System.Runtime.CompilerServices.InterpolatedStringHandler]
    public ref struct Printing
    {
        public Printing(int literalLength, int formattedCount) { }
        public void AppendLiteral(string text) => Screen.Put(text);
        public void AppendFormatted(long value) => Screen.Put(""#"");
    }

    // Formats each hole with ToString and +: every hole allocates.
    [System.Runtime.CompilerServices.InterpolatedStringHandler]
    public ref struct Wasteful
    {
        private static string _text;
        public Wasteful(int literalLength, int formattedCount) { }
        public void AppendLiteral(string text) { }
        public void AppendFormatted(long value) { _text = _text + ""#""; }
    }

    // A handler that is a class is itself a new object for every call.
    [System.Runtime.CompilerServices.InterpolatedStringHandler]
    public sealed class Boxed
    {
        public Boxed(int literalLength, int formattedCount) { }
        public void AppendLiteral(string text) { }
        public void AppendFormatted(long value) { }
    }

    public static class Screen
    {
        public static void Put(string text) { }
        public static void Print(Printing text) { }
        public static void Waste(Wasteful text) { }
        public static void Box(Boxed text) { }
    }
}
namespace Traps
{
    public static class Timer
    {
        private static long _ticks;

        [InterruptContext]
        public static void OnTick()
        {
            Terminal.Screen.Print($""tick {_ticks}"");
            Terminal.Screen.Print($""tick {_ticks}, "" + $""again {_ticks}"");
            Terminal.Screen.Waste($""tick {|#0:{_ticks}|}"");
            Terminal.Screen.Box({|#1:$""tick {_ticks}""|});
        }
    }
}",
            At(Rule.Rule, 0, "Timer.OnTick", "calls 'Wasteful.AppendFormatted', which allocates at 0/Test0.cs:21 (it concatenates strings with +, which builds a new string)"),
            At(Rule.Rule, 1, "Timer.OnTick", "creates a 'Terminal.Boxed' object with new here"));

        [Fact]
        public Task TheSearchStopsAtItsDepthBound()
        {
            // A chain of ten calls; the allocation at its end is beyond MaximumDepth (8) calls.
            var chain = new System.Text.StringBuilder();
            for (int i = 0; i < 10; i++) chain.Append("public static void M" + i + "() => M" + (i + 1) + "();\n");
            chain.Append("public static void M10() { _s = _s + _s; }\n");
            return Verify.Run("kernel", Usings + @"
namespace Traps
{
    public static class Deep
    {
        private static string _s;
        [InterruptContext] public static void OnTick() => M0();
" + chain + @"
    }
}");
        }

        [Fact]
        public Task UserCodeIsNotChecked() => Verify.Run("user", Usings + @"
public static class P { [InterruptContext] public static string M(string s) => s + s; }");

        [Fact]
        public Task TheMessageTeaches()
        {
            var test = new Verify("kernel", Usings + @"
namespace Traps { public class E { } public static class T { [InterruptContext] public static void H() { var e = {|#0:new E()|}; } } }");
            test.ExpectedDiagnostics.Add(new DiagnosticResult(Rule.Rule).WithLocation(0).WithMessage(
                "'T.H' runs in interrupt context and creates a 'Traps.E' object with new here. An interrupt handler runs with " +
                "interrupts off, on whichever thread was interrupted: it must not allocate (the heap may be in the middle of an " +
                "update by the code it interrupted) and must not block (nothing could wake it). Use memory set aside in advance, " +
                "and leave the rest of the work to a thread (wake it, or set a flag it checks)."));
            return test.RunAsync();
        }
    }
}
