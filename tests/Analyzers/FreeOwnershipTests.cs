using Xunit;
using Verify = TeachOS.Tests.Analyzers.AnalyzerTest<TeachOS.Analyzers.FreeOwnershipAnalyzer>;
using static TeachOS.Tests.Analyzers.Expect;
using Rule = TeachOS.Analyzers.FreeOwnershipAnalyzer;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>TOS0007: free only memory this code owns.</summary>
    public class FreeOwnershipTests
    {
        private const string Heap = @"
namespace Mem
{
    public static unsafe class KernelHeap
    {
        public static void Free([TeachOS.Boundary.Frees] void* block) { }
        public static void Free([TeachOS.Boundary.Frees] object obj) { }
    }
}
";

        private const string Literal = "a literal is part of the kernel image, not of the heap";
        private const string Empty = "'String.Empty' is a static readonly field: set once (often preinitialized in the image) and read by everyone, so no one caller owns what it refers to";
        private const string SharedResult = "' may return an object it does not give you (a shared one such as string.Empty, or its own receiver)";

        [Fact]
        public Task ConstantsAndStaticReadonlyFieldsAreReported() => Verify.Run("kernel", Heap + @"
namespace Sched
{
    public static class Names
    {
        private const string Idle = ""idle"";
        private static readonly byte[] s_table = new byte[4];

        public static void Clean()
        {
            Mem.KernelHeap.Free({|#0:""""|});
            Mem.KernelHeap.Free({|#1:string.Empty|});
            Mem.KernelHeap.Free({|#2:Idle|});
            Mem.KernelHeap.Free({|#3:nameof(Clean)|});
            Mem.KernelHeap.Free({|#4:s_table|});
        }
    }
}",
            At(Rule.Rule, 0, "KernelHeap.Free", "\"\"", Literal),
            At(Rule.Rule, 1, "KernelHeap.Free", "string.Empty", Empty),
            At(Rule.Rule, 2, "KernelHeap.Free", "Idle", "'Names.Idle' is a constant, part of the kernel image"),
            At(Rule.Rule, 3, "KernelHeap.Free", "nameof(Clean)", "nameof gives a constant string, part of the kernel image"),
            At(Rule.Rule, 4, "KernelHeap.Free", "s_table", "'Names.s_table' is a static readonly field: set once (often preinitialized in the image) and read by everyone, so no one caller owns what it refers to"));

        [Fact]
        public Task ResultsThatMayBeSharedAreReported() => Verify.Run("kernel", Heap + @"
namespace Sched
{
    public static unsafe class Spawner
    {
        public static void Clean(string path, byte* text, System.ReadOnlySpan<char> part)
        {
            Mem.KernelHeap.Free({|#0:path.Substring(path.LastIndexOf('/') + 1)|});
            Mem.KernelHeap.Free({|#1:string.FromAscii(text, 0)|});
            Mem.KernelHeap.Free({|#2:new string(part)|});
            Mem.KernelHeap.Free({|#3:System.Array.Empty<byte>()|});
        }
    }
}",
            At(Rule.Rule, 0, "KernelHeap.Free", "path.Substring(path.LastIndexOf('/') + 1)", "'String.Substring" + SharedResult),
            At(Rule.Rule, 1, "KernelHeap.Free", "string.FromAscii(text, 0)", "'String.FromAscii" + SharedResult),
            At(Rule.Rule, 2, "KernelHeap.Free", "new string(part)", "'new String(...)' may return a shared object (the one string.Empty, when the result is empty)"),
            At(Rule.Rule, 3, "KernelHeap.Free", "System.Array.Empty<byte>()", "'Array.Empty" + SharedResult));

        [Fact]
        public Task ALocalWhoseOnlyValueIsNotOwnedIsReported() => Verify.Run("kernel", Heap + @"
namespace Sched
{
    public static class Processes
    {
        public static void Free(string path, bool named)
        {
            string name = path.Substring(0);
            Mem.KernelHeap.Free({|#0:name|});
            Mem.KernelHeap.Free({|#1:named ? path : """"|});
        }
    }
}",
            At(Rule.Rule, 0, "KernelHeap.Free", "name", "'name' only ever holds 'path.Substring(0)': 'String.Substring" + SharedResult),
            At(Rule.Rule, 1, "KernelHeap.Free", "named ? path : \"\"", Literal));

        [Fact]
        public Task OwnedMemoryIsFine() => Verify.Run("kernel", Heap + @"
namespace Sched
{
    public sealed class Thread
    {
        public string Name;
        private static byte[] s_table = new byte[4];           // not readonly: replaced when it grows

        public Thread(System.ReadOnlySpan<char> name) => Name = string.Copy(name);

        public static unsafe void Examples(Thread thread, string parameter, string path, byte* text)
        {
            Mem.KernelHeap.Free(thread.Name);                   // an instance field: the owner's copy
            Mem.KernelHeap.Free(parameter);                      // handed over to be freed
            Mem.KernelHeap.Free(string.Copy(path));              // a fresh copy, even when empty
            Mem.KernelHeap.Free(string.CopyFromAscii(new System.ReadOnlySpan<byte>(text, 0)));
            Mem.KernelHeap.Free(s_table);
            Mem.KernelHeap.Free((object)null);
            Mem.KernelHeap.Free(thread);

            string name = """";
            if (path.Length > 0) name = string.Copy(path);      // two values: not judged
            Mem.KernelHeap.Free(name);

            byte[] grown = new byte[8];
            Mem.KernelHeap.Free(grown);
            foreach (string each in new[] { path }) Mem.KernelHeap.Free(each);
        }
    }
}");

        [Fact]
        public Task OnlyParametersMarkedFreesAreChecked() => Verify.Run("kernel", @"
namespace Drivers
{
    public static class Console
    {
        public static void Write(string text) { }
        public static void Hello() { Write(""""); Write(string.Empty); }
    }
}");

        [Fact]
        public async Task TheMessageTeaches()
        {
            var test = new Verify("kernel", Heap + @"
namespace Fs { public static class Node { public static void Drop() { Mem.KernelHeap.Free({|#0:string.Empty|}); } } }");
            test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Rule.Rule).WithLocation(0).WithMessage(
                "'KernelHeap.Free' frees 'string.Empty', which this code does not own: " + Empty + ". Only what the heap allocated " +
                "for this code (new, string.Copy) may be freed, and only by its one owner; freeing anything else corrupts the heap " +
                "or the kernel image. Keep your own copy (string.Copy) and free that, or do not free it."));
            await test.RunAsync();
        }
    }
}
