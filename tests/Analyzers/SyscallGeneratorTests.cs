using Microsoft.CodeAnalysis;
using TeachOS.Analyzers;
using Xunit;
using G = TeachOS.Tests.Analyzers.GeneratorHarness;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>The syscall generator: kernel dispatch table, user stubs, and TOS0006.</summary>
    public class SyscallGeneratorTests
    {
        // ---- A small declaration, and both sides' hand-written parts ------------------------------

        private const string Declaration = @"using System;
using TeachOS.Boundary;

namespace Abi
{
    public static class Errno { public const int E2BIG = 7; public const int EFAULT = 14; public const int ENAMETOOLONG = 36; public const int ENOSYS = 38; }
    public struct FileStatus { public long Size; public int Kind; }

    [SyscallTable]
    public interface ISyscalls
    {
        /// <summary>Ends the calling process with <paramref name=""status""/>.</summary>
        [Syscall(0)] long Exit(int status);
        [Syscall(1)] int GetPid();
        [Syscall(3)] long Write(int descriptor, ReadOnlySpan<byte> data);
        [Syscall(4)] long Read(int descriptor, Span<byte> buffer);
        [Syscall(5)] long Open(string path, int flags);
        [Syscall(7)] long FileStatus(int descriptor, out FileStatus status);
        [Syscall(10)] long Spawn(string path, string[] arguments);
        [Syscall(18)] long Mix(ulong entry, uint mask, bool on, long offset);
        [Syscall(30)] long Exchange(ref long value);
    }
}
";

        // As in kernel/Mem/UserTypes.cs: the user-address types live with the copy layer, in Mem.
        private const string UserTypes = @"
namespace Mem
{
    public readonly struct UserPointer<T> where T : unmanaged { public readonly ulong Address; public UserPointer(ulong address) => Address = address; }
    public readonly struct UserBuffer { public readonly ulong Address, Length; public UserBuffer(ulong address, ulong length) { Address = address; Length = length; } }
    public readonly struct UserString { public readonly ulong Address; public UserString(ulong address) => Address = address; }
}
";

        // As in kernel/Arch/X64/TrapFrame.cs, the registers the table reads (the same names), and a way
        // for a test on .NET to call the table with a frame of its choice.
        private const string TrapFrame = @"
namespace Arch.X64
{
    public struct TrapFrame
    {
        public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;

        public static unsafe long Invoke(ulong rax, ulong rdi, ulong rsi, ulong rdx, ulong r10, ulong r8, ulong r9)
        {
            var frame = new TrapFrame { Rax = rax, Rdi = rdi, Rsi = rsi, Rdx = rdx, R10 = r10, R8 = r8, R9 = r9 };
            return Syscalls.SyscallTable.Invoke(&frame);
        }
    }
}
";

        // Handlers remember what they got, so a test on .NET can check the register conversions.
        private const string Handlers = UserTypes + TrapFrame + @"
namespace Syscalls
{
    using Mem;

    [TeachOS.Boundary.SyscallHandlers]
    public sealed class ProcessSyscalls   // not static: only the handlers must be
    {
        public static int Status; public static UserString Path; public static UserPointer<ulong> Argv;
        public static long Exit(int status) { Status = status; return 100; }
        public static long GetPid() => 101;
        public static long Spawn(UserString path, UserPointer<ulong> arguments) { Path = path; Argv = arguments; return 110; }
    }

    [TeachOS.Boundary.SyscallHandlers]
    public static class FileSyscalls
    {
        public static int Descriptor; public static UserBuffer Buffer; public static UserString Path; public static UserPointer<Abi.FileStatus> Status;
        public static long Write(int descriptor, UserBuffer data) { Descriptor = descriptor; Buffer = data; return 103; }
        public static long Read(int descriptor, UserBuffer buffer) { Descriptor = descriptor; Buffer = buffer; return 104; }
        public static int Open(UserString path, int flags) { Path = path; Descriptor = flags; return 105; }
        public static long FileStatus(int descriptor, UserPointer<Abi.FileStatus> status) { Descriptor = descriptor; Status = status; return 107; }
    }

    [TeachOS.Boundary.SyscallHandlers]
    internal static class OtherSyscalls
    {
        public static ulong Entry; public static uint Mask; public static bool On; public static long Offset; public static UserPointer<long> Value;
        internal static long Mix(ulong entry, uint mask, bool on, long offset) { Entry = entry; Mask = mask; On = on; Offset = offset; return 118; }
        public static long Exchange(UserPointer<long> value) { Value = value; return 130; }
        private static long Helper() => 0;   // not a syscall: ignored
    }
}
";

        // The hand-written half of Sys, as userland/Lib/Sys.cs has it; Enter goes to a function pointer
        // that a test can point at a fake kernel.
        private const string HandWrittenSys = @"
namespace TeachOS
{
    public static unsafe partial class Sys
    {
        public static delegate*<long, ulong, ulong, ulong, ulong, ulong, ulong, long> Kernel;

        private static long Enter(long number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0) =>
            Kernel(number, a0, a1, a2, a3, a4, a5);

        public static bool ToAscii(string text, byte* buffer, int capacity)
        {
            if (text.Length + 1 > capacity) return false;
            for (int i = 0; i < text.Length; i++) buffer[i] = (byte)text[i];
            buffer[text.Length] = 0;
            return true;
        }
    }
}
";

        // ---- The kernel side -------------------------------------------------------------------------

        [Theory]
        [InlineData("kernel")]
        [InlineData("user")]
        public void BothSidesGetTheNumbersAsConstantsFromTheAttributes(string role)
        {
            (string path, string text) otherHalf = role == "kernel" ? ("kernel/Syscalls/Handlers.cs", Handlers) : ("userland/Lib/Sys.cs", HandWrittenSys);
            G.Result result = G.Run(role, ("abi/Syscalls.cs", Declaration), otherHalf);
            Assert.Empty(result.CompilerDiagnostics);
            string numbers = result.Source("SyscallNumbers.g.cs");
            Assert.Contains("namespace Abi", numbers);
            Assert.Contains("public static partial class SyscallNumbers", numbers);
            Assert.Contains("public const int Exit = 0;", numbers);
            Assert.Contains("public const int Write = 3;", numbers);
        }

        [Fact]
        public void TheKernelTableHasOneCasePerSyscallAndCompilesAgainstTheRuntime()
        {
            G.Result result = G.Run("kernel", ("abi/Syscalls.cs", Declaration), ("kernel/Syscalls/Handlers.cs", Handlers));

            Assert.Empty(result.GeneratorDiagnostics);
            Assert.Empty(result.CompilerDiagnostics);
            string table = result.Source("SyscallTable.g.cs");
            Assert.Contains("//   from the [SyscallTable] interface Abi.ISyscalls (abi/Syscalls.cs).", table);
            Assert.Contains("public static unsafe partial class SyscallTable", table);
            Assert.Contains("public const int Count = 9;", table);
            Assert.Contains("case 3: return \"Write\";", table);
            Assert.Contains("public static long Invoke(global::Arch.X64.TrapFrame* frame)", table);
            Assert.Contains("switch (frame->Rax)", table);
            Assert.Contains("case 3: return Call3Write(frame);", table);
            AssertContainsLines("""
                    // 3: long Write(int descriptor, ReadOnlySpan<byte> data)
                    //   descriptor: rdi (a0); data: rsi (a1) address, rdx (a2) length
                    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                    private static long Call3Write(global::Arch.X64.TrapFrame* frame)
                    {
                        return global::Syscalls.FileSyscalls.Write((int)frame->Rdi, new global::Mem.UserBuffer(frame->Rsi, frame->Rdx));
                    }
            """, table);
            Assert.Contains("return global::Syscalls.ProcessSyscalls.Spawn(new global::Mem.UserString(frame->Rdi), new global::Mem.UserPointer<ulong>(frame->Rsi));", table);
            Assert.Contains("return global::Syscalls.FileSyscalls.FileStatus((int)frame->Rdi, new global::Mem.UserPointer<global::Abi.FileStatus>(frame->Rsi));", table);
            Assert.Contains("return global::Syscalls.OtherSyscalls.Mix(frame->Rdi, (uint)frame->Rsi, frame->Rdx != 0, (long)frame->R10);", table);
            AssertContainsLines("""
                        default:
                            return -global::Abi.Errno.ENOSYS;
            """, table);
        }

        [Fact]
        public void TheKernelTableConvertsRegistersToTheHandlersTypes()
        {
            // The same generated code, compiled for .NET so that it can run here.
            G.Result result = G.Run("kernel", G.HostFramework(),
                G.BoundaryAttributesSource(), ("abi/Syscalls.cs", Declaration), ("kernel/Syscalls/Handlers.cs", Handlers));
            var kernel = G.Load(result.Compilation);
            long Invoke(ulong number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0) =>
                (long)G.Call(kernel, "Arch.X64.TrapFrame", "Invoke", number, a0, a1, a2, a3, 0UL, 0UL);
            object Field(string type, string name) => kernel.GetType("Syscalls." + type).GetField(name).GetValue(null);
            ulong Address(object userType) => (ulong)userType.GetType().GetField("Address").GetValue(userType);

            Assert.Equal(100, Invoke(0, unchecked((ulong)-5)));
            Assert.Equal(-5, Field("ProcessSyscalls", "Status"));                       // sign comes back

            Assert.Equal(103, Invoke(3, 2, 0x4000, 12));
            Assert.Equal(2, Field("FileSyscalls", "Descriptor"));
            object buffer = Field("FileSyscalls", "Buffer");
            Assert.Equal(0x4000UL, Address(buffer));
            Assert.Equal(12UL, buffer.GetType().GetField("Length").GetValue(buffer));

            Assert.Equal(105, Invoke(5, 0x5000, 1));                                     // an int handler
            Assert.Equal(0x5000UL, Address(Field("FileSyscalls", "Path")));

            Assert.Equal(118, Invoke(18, 0xFFFF_FFFF_0000_0000, 0x1_0000_0007, 2, unchecked((ulong)-1)));
            Assert.Equal(0xFFFF_FFFF_0000_0000UL, Field("OtherSyscalls", "Entry"));
            Assert.Equal(7U, Field("OtherSyscalls", "Mask"));                           // upper half dropped
            Assert.Equal(true, Field("OtherSyscalls", "On"));
            Assert.Equal(-1L, Field("OtherSyscalls", "Offset"));

            Assert.Equal(130, Invoke(30, 0x6000));
            Assert.Equal(0x6000UL, Address(Field("OtherSyscalls", "Value")));

            Assert.Equal(-38, Invoke(2));                                                // nobody declared 2
            Assert.Equal(-38, Invoke(1000));
            Assert.Equal("Spawn", G.Call(kernel, "Syscalls.SyscallTable", "NameOf", 10UL));
            Assert.Equal("?", G.Call(kernel, "Syscalls.SyscallTable", "NameOf", 2UL));
        }

        /// <summary>The lines of <paramref name="expected"/> appear one after another in <paramref name="text"/>, indentation aside.</summary>
        private static void AssertContainsLines(string expected, string text)
        {
            static string Normalize(string block) => string.Join("\n", block.Split('\n').Select(line => line.Trim()));
            Assert.Contains(Normalize(expected), Normalize(text));
        }

        // ---- TOS0006 ---------------------------------------------------------------------------------

        [Fact]
        public void AMismatchedHandlerIsReportedWithTheExpectedSignature()
        {
            string handlers = Handlers.Replace("public static long Write(int descriptor, UserBuffer data) { Descriptor = descriptor; Buffer = data; return 103; }",
                "public static long Write(int descriptor, ulong address, ulong length) => 103;");
            G.Result result = G.Run("kernel", ("abi/Syscalls.cs", Declaration), ("kernel/Syscalls/Handlers.cs", handlers));

            Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
            Assert.Equal("TOS0006", diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal(
                "Syscall 'Write' (number 3) has a handler whose signature does not match: found 'public static long " +
                "FileSyscalls.Write(int descriptor, ulong address, ulong length)'. The generated dispatch table " +
                "(Syscalls.SyscallTable.Invoke) calls, for each declared syscall, the static method of the same name in a " +
                "[SyscallHandlers] class, with each user address turned into a UserBuffer, UserString or UserPointer<T> so " +
                "that no handler can touch user memory unchecked. Expected: 'public static long Write(int descriptor, UserBuffer " +
                "data)' in a [SyscallHandlers] class.",
                diagnostic.GetMessage());
            Assert.Equal("kernel/Syscalls/Handlers.cs", diagnostic.Location.GetLineSpan().Path);   // at the handler
            // The table still compiles: the bad entry returns -ENOSYS.
            Assert.Empty(result.CompilerDiagnostics);
            Assert.Contains("return -global::Abi.Errno.ENOSYS;   // no matching handler: see TOS0006", result.Source("SyscallTable.g.cs"));
        }

        [Theory]
        [InlineData("public static long GetPid() => 101;", "", "has no handler: no [SyscallHandlers] class has a static method named 'GetPid'", "public static long GetPid()")]
        [InlineData("public static long GetPid() => 101;", "public long GetPid() => 101;", "has a handler whose signature does not match: found 'public long ProcessSyscalls.GetPid()'", "public static long GetPid()")]
        [InlineData("public static long GetPid() => 101;", "private static long GetPid() => 101;", "has a handler whose signature does not match: found 'private static long ProcessSyscalls.GetPid()'", "public static long GetPid()")]
        [InlineData("public static long GetPid() => 101;", "public static ulong GetPid() => 101;", "has a handler whose signature does not match: found 'public static ulong ProcessSyscalls.GetPid()'", "public static long GetPid()")]
        [InlineData("public static long Exchange(UserPointer<long> value) { Value = value; return 130; }", "public static long Exchange(ref long value) => 130;", "has a handler whose signature does not match: found 'public static long OtherSyscalls.Exchange(ref long value)'", "public static long Exchange(UserPointer<long> value)")]
        [InlineData("private static long Helper() => 0;", "public static long Exit(int code) => 0;", "has more than one handler ('public static long ProcessSyscalls.Exit(int status)', 'public static long OtherSyscalls.Exit(int code)'); the dispatch table can call only one, so rename or remove the others", "public static long Exit(int status)")]
        public void HandlerProblemsAreReported(string original, string replacement, string problem, string expected)
        {
            G.Result result = G.Run("kernel", ("abi/Syscalls.cs", Declaration), ("kernel/Syscalls/Handlers.cs", Handlers.Replace(original, replacement)));
            Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
            Assert.Equal("TOS0006", diagnostic.Id);
            Assert.Contains(problem + ".", diagnostic.GetMessage());
            Assert.Contains("Expected: '" + expected + "' in a [SyscallHandlers] class.", diagnostic.GetMessage());
            Assert.Empty(result.CompilerDiagnostics);
        }

        [Fact]
        public void AClassWithoutTheMarkHoldsNoHandlers()
        {
            G.Result result = G.Run("kernel", ("abi/Syscalls.cs", Declaration),
                ("kernel/Syscalls/Handlers.cs", Handlers.Replace("[TeachOS.Boundary.SyscallHandlers]\n    public static class FileSyscalls", "public static class FileSyscalls")));
            Assert.Equal(new[] { "FileStatus", "Open", "Read", "Write" },
                result.GeneratorDiagnostics.Select(d => d.GetMessage().Split('\'')[1]).OrderBy(name => name, StringComparer.Ordinal));
        }

        // ---- TOS0005 through the generator -------------------------------------------------------------

        [Fact]
        public void ADuplicateNumberIsReportedAndLeftOutOfTheTable()
        {
            string declaration = Declaration.Replace("[Syscall(4)] long Read", "[Syscall(3)] long Read");
            G.Result result = G.Run("kernel", ("abi/Syscalls.cs", declaration), ("kernel/Syscalls/Handlers.cs", Handlers));

            // The analyzer reports both methods; the generator reports nothing more and leaves both out,
            // so the switch has no duplicate case (CS0152) and no error lands in generated code.
            var declarationProblems = result.DeclarationDiagnostics("kernel");
            Assert.Equal(2, declarationProblems.Length);
            Assert.All(declarationProblems, d => Assert.Equal("TOS0005", d.Id));
            Assert.Contains(declarationProblems, d => d.GetMessage().StartsWith("Syscall 'Write' uses number 3, as 'Read' does"));
            Assert.Contains(declarationProblems, d => d.GetMessage().StartsWith("Syscall 'Read' uses number 3, as 'Write' does"));
            Assert.Empty(result.GeneratorDiagnostics);
            Assert.Empty(result.CompilerDiagnostics);
            Assert.DoesNotContain("case 3:", result.Source("SyscallTable.g.cs"));
        }

        [Fact]
        public void AnInvalidSignatureIsLeftToTOS0005()
        {
            string declaration = Declaration.Replace("[Syscall(1)] int GetPid();", "[Syscall(1)] void GetPid(object o);");
            G.Result kernel = G.Run("kernel", ("abi/Syscalls.cs", declaration), ("kernel/Syscalls/Handlers.cs", Handlers));
            Assert.Empty(kernel.GeneratorDiagnostics);
            Assert.Empty(kernel.CompilerDiagnostics);
            Assert.DoesNotContain("GetPid", kernel.Source("SyscallTable.g.cs"));
            Assert.Equal(2, kernel.DeclarationDiagnostics("kernel").Length);   // return type, parameter type

            G.Result user = G.Run("user", ("abi/Syscalls.cs", declaration), ("userland/Lib/Sys.cs", HandWrittenSys));
            Assert.Empty(user.CompilerDiagnostics);
            Assert.DoesNotContain("GetPid", user.Source("Sys.g.cs"));
        }

        // ---- The user side ---------------------------------------------------------------------------

        [Fact]
        public void TheUserStubsHaveTheDeclaredSignaturesAndCompileAgainstTheRuntime()
        {
            G.Result result = G.Run("user", ("abi/Syscalls.cs", Declaration), ("userland/Lib/Sys.cs", HandWrittenSys));

            Assert.Empty(result.GeneratorDiagnostics);
            Assert.Empty(result.CompilerDiagnostics);
            string stubs = result.Source("Sys.g.cs");
            Assert.Contains("public static unsafe partial class Sys", stubs);
            AssertContainsLines("""
                    // syscall 0: status: rdi (a0)
                    /// <summary>Ends the calling process with <paramref name="status"/>.</summary>
                    public static long Exit(int status) => Enter(0, (ulong)status);
            """, stubs);
            Assert.Contains("public static int GetPid() => (int)Enter(1);", stubs);
            AssertContainsLines("""
                    public static long Write(int descriptor, global::System.ReadOnlySpan<byte> data)
                    {
                        fixed (byte* dataAddress = data)
                        {
                            return Enter(3, (ulong)descriptor, (ulong)dataAddress, (ulong)data.Length);
                        }
                    }
            """, stubs);
            Assert.Contains("if (!ToAscii(path, pathText, 256)) return -global::Abi.Errno.ENAMETOOLONG;", stubs);
            Assert.Contains("public static long FileStatus(int descriptor, out global::Abi.FileStatus status)", stubs);
            Assert.Contains("global::Abi.FileStatus statusValue = default;", stubs);
            Assert.Contains("public static long Spawn(string path, string[] arguments)", stubs);
            Assert.Contains("if (arguments.Length > 32) return -global::Abi.Errno.E2BIG;", stubs);
            Assert.Contains("public static long Mix(ulong entry, uint mask, bool on, long offset) => Enter(18, entry, (ulong)mask, (on ? 1UL : 0UL), (ulong)offset);", stubs);
            Assert.Contains("public static long Exchange(ref long value)", stubs);
        }

        // A fake kernel for the stubs: decodes the registers as the real one would and logs what it saw.
        private const string FakeKernel = @"
using System.Text;
namespace TeachOS
{
    public static unsafe class FakeKernel
    {
        public static string Log = """";

        public static void Install() { Sys.Kernel = &Handle; Log = """"; }

        private static long Handle(long number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
        {
            switch (number)
            {
                case 0: Log = ""Exit "" + (long)a0; return 0;
                case 1: return 42;
                case 3: Log = ""Write "" + a0 + "" '"" + Encoding.ASCII.GetString((byte*)a1, (int)a2) + ""'""; return (long)a2;
                case 4: ((byte*)a1)[0] = (byte)'o'; ((byte*)a1)[1] = (byte)'k'; Log = ""Read "" + a2; return 2;
                case 5: Log = ""Open '"" + Text(a0) + ""' "" + a1; return 3;
                case 7: *(Abi.FileStatus*)a1 = new Abi.FileStatus { Size = 1234, Kind = 2 }; return 0;
                case 10:
                    Log = ""Spawn '"" + Text(a0) + ""'"";
                    for (ulong* argv = (ulong*)a1; *argv != 0; argv++) Log += "" '"" + Text(*argv) + ""'"";
                    return 9;
                case 18: Log = ""Mix "" + a0 + "" "" + a1 + "" "" + a2 + "" "" + (long)a3; return 0;
                case 30: *(long*)a0 = *(long*)a0 * 2; return 0;
                default: return -38;
            }
        }

        private static string Text(ulong address)
        {
            var text = new StringBuilder();
            for (byte* p = (byte*)address; *p != 0; p++) text.Append((char)*p);
            return text.ToString();
        }
    }

    public static unsafe class Driver
    {
        public static string Exit() { FakeKernel.Install(); Sys.Exit(-3); return FakeKernel.Log; }
        public static int GetPid() { FakeKernel.Install(); return Sys.GetPid(); }
        public static string Write() { FakeKernel.Install(); long n = Sys.Write(1, Encoding.ASCII.GetBytes(""hello"")); return FakeKernel.Log + "" -> "" + n; }
        public static string Read() { FakeKernel.Install(); var b = new byte[8]; long n = Sys.Read(0, b); return FakeKernel.Log + "" -> "" + Encoding.ASCII.GetString(b, 0, (int)n); }
        public static string Open(string path) { FakeKernel.Install(); long r = Sys.Open(path, 2); return FakeKernel.Log + "" -> "" + r; }
        public static string Stat() { FakeKernel.Install(); Sys.FileStatus(4, out Abi.FileStatus s); return s.Size + "" "" + s.Kind; }
        public static string Spawn(string path, string[] arguments) { FakeKernel.Install(); long r = Sys.Spawn(path, arguments); return FakeKernel.Log + "" -> "" + r; }
        public static string Mix() { FakeKernel.Install(); Sys.Mix(7, 0xFFFFFFFF, true, -2); return FakeKernel.Log; }
        public static long Exchange() { FakeKernel.Install(); long v = 21; Sys.Exchange(ref v); return v; }
    }
}
";

        [Fact]
        public void TheUserStubsPutArgumentsWhereTheKernelLooks()
        {
            G.Result result = G.Run("user", G.HostFramework(),
                G.BoundaryAttributesSource(), ("abi/Syscalls.cs", Declaration), ("userland/Lib/Sys.cs", HandWrittenSys), ("FakeKernel.cs", FakeKernel));
            var user = G.Load(result.Compilation);
            object Run(string method, params object[] arguments) => G.Call(user, "TeachOS.Driver", method, arguments);

            Assert.Equal("Exit -3", Run("Exit"));
            Assert.Equal(42, Run("GetPid"));
            Assert.Equal("Write 1 'hello' -> 5", Run("Write"));
            Assert.Equal("Read 8 -> ok", Run("Read"));
            Assert.Equal("Open '/bin/sh' 2 -> 3", Run("Open", "/bin/sh"));
            Assert.Equal("-36 ", ((string)Run("Open", new string('x', 256))).Split("-> ")[1] + " ");   // ENAMETOOLONG, kernel not called
            Assert.Equal(" -> -14", Run("Open", new object[] { null }));                                // EFAULT
            Assert.Equal("1234 2", Run("Stat"));
            Assert.Equal("Spawn '/bin/ls' 'ls' '-l' -> 9", Run("Spawn", "/bin/ls", new[] { "ls", "-l" }));
            Assert.Equal(" -> -7", Run("Spawn", "/bin/ls", Enumerable.Repeat("a", 33).ToArray()));     // E2BIG: too many
            Assert.Equal(" -> -7", Run("Spawn", "/bin/ls", new[] { new string('a', 3000), new string('b', 2000) }));  // E2BIG: too long
            Assert.Equal("Mix 7 4294967295 1 -2", Run("Mix"));
            Assert.Equal(42L, Run("Exchange"));
        }

        // ---- Roles and the real tree ---------------------------------------------------------------------

        [Theory]
        [InlineData("runtime")]
        [InlineData(null)]
        public void OtherRolesGenerateNothing(string role)
        {
            G.Result result = G.Run(role, ("abi/Syscalls.cs", Declaration));
            Assert.Empty(result.Generated);
            Assert.Empty(result.GeneratorDiagnostics);
        }

        [Fact]
        public void WithoutADeclarationNothingIsGenerated()
        {
            G.Result result = G.Run("user", ("userland/Programs/hello.cs", "public static class Hello { public static int Main() => 0; }"));
            Assert.Empty(result.Generated);
        }

        [Fact]
        public void TheRealUserLibraryAndProgramsCompileWithTheGeneratedStubs()
        {
            // abi/ and userland/Lib/ as TeachOS.UserLib.csproj compiles them, then the programs on top.
            var library = G.Run("user", Repository.SourcesUnder("abi").Concat(Repository.SourcesUnder("userland/Lib"))
                .Select(path => (path, File.ReadAllText(path))).ToArray());
            Assert.Empty(library.GeneratorDiagnostics);
            Assert.Empty(library.CompilerDiagnostics);
            Assert.Equal(new AbiSyscallCount().Count, library.Source("Sys.g.cs").Split("        public static ").Length - 1);

            MetadataReference userLib = library.Compilation.ToMetadataReference();
            var programs = G.Run("user", new[] { TeachOSRuntime.Reference, userLib },
                Repository.SourcesUnder("userland/Programs").Select(path => (path, File.ReadAllText(path))).ToArray());
            Assert.Empty(programs.Generated);
            Assert.Empty(programs.CompilerDiagnostics);
        }

        /// <summary>How many methods abi/Syscalls.cs and its parts (abi/Syscalls.*.cs) declare, counted by their [Syscall( attributes.</summary>
        private sealed class AbiSyscallCount
        {
            public int Count { get; } = Directory.GetFiles(Repository.PathOf("abi"), "Syscalls*.cs")
                .Sum(path => File.ReadAllText(path).Split("[Syscall(").Length - 1);
        }
    }
}
