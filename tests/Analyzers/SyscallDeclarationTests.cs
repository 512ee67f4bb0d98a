using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TeachOS.Tests.Analyzers.AnalyzerTest<TeachOS.Analyzers.SyscallDeclarationAnalyzer>;
using static TeachOS.Tests.Analyzers.Expect;
using Rule = TeachOS.Analyzers.SyscallDeclarationAnalyzer;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>TOS0005: syscall declarations must fit the calling convention.</summary>
    public class SyscallDeclarationTests
    {
        private const string Header = @"using System;
using TeachOS.Boundary;

namespace Abi
{
    public struct FileStatus { public long Size; public int Kind; }
    public class NotAStruct { }
";

        [Fact]
        public Task EveryAllowedShapeIsAccepted() => Verify.Run("kernel", Header + @"
    [SyscallTable]
    public interface ISyscalls
    {
        [Syscall(0)] long Exit(int status);
        [Syscall(1)] int GetPid();
        [Syscall(3)] long Write(int descriptor, ReadOnlySpan<byte> data);
        [Syscall(4)] long Read(int descriptor, Span<byte> buffer);
        [Syscall(5)] long Open(string path, int flags);
        [Syscall(7)] long FileStatus(int descriptor, out FileStatus status);
        [Syscall(10)] long Spawn(string path, string[] arguments);
        [Syscall(13)] long Sbrk(long increment);
        [Syscall(18)] long ThreadCreate(ulong entry, ulong stackTop, ulong argument0, ulong argument1, uint flags, bool detached);
        [Syscall(30)] long Exchange(ref long value, ref FileStatus status);
        [Syscall(511)] long Last(ReadOnlySpan<byte> a, Span<byte> b, int c, bool d);
    }
}");

        [Fact]
        public Task AMissingNumberIsReported() => Verify.Run("user", Header + @"
    [SyscallTable]
    public interface ISyscalls
    {
        [Syscall(0)] long Exit(int status);
        long {|#0:GetPid|}();
    }
}",
            At(Rule.Rule, 0, "GetPid", "has no [Syscall(n)] attribute, so it has no number; give it the next free one, e.g. [Syscall(1)]"));

        [Fact]
        public Task DuplicateNumbersAreReportedOnBoth() => Verify.Run("kernel", Header + @"
    [SyscallTable]
    public interface ISyscalls
    {
        [Syscall(3)] long {|#0:Write|}(int descriptor, ReadOnlySpan<byte> data);
        [Syscall(3)] long {|#1:Read|}(int descriptor, Span<byte> buffer);
    }
}",
            At(Rule.Rule, 0, "Write", "uses number 3, as 'Read' does; each syscall needs a number of its own, or the kernel cannot tell which one a program asked for"),
            At(Rule.Rule, 1, "Read", "uses number 3, as 'Write' does; each syscall needs a number of its own, or the kernel cannot tell which one a program asked for"));

        [Fact]
        public Task NumbersOutsideTheTableAreReported() => Verify.Run("kernel", Header + @"
    [SyscallTable]
    public interface ISyscalls
    {
        [Syscall(512)] long {|#0:TooHigh|}();
        [Syscall(-1)] long {|#1:Negative|}();
    }
}",
            At(Rule.Rule, 0, "TooHigh", "has number 512, outside 0..511 (the kernel's table has 512 entries)"),
            At(Rule.Rule, 1, "Negative", "has number -1, outside 0..511 (the kernel's table has 512 entries)"));

        [Fact]
        public Task AReturnTypeOtherThanLongOrIntIsReported() => Verify.Run("kernel", Header + @"
    [SyscallTable]
    public interface ISyscalls
    {
        [Syscall(0)] void {|#0:Exit|}(int status);
        [Syscall(1)] ulong {|#1:Uptime|}();
    }
}",
            At(Rule.Rule, 0, "Exit", "returns 'void'; a syscall returns 'long' (or 'int') in rax: a value >= 0, or a negated errno (abi/Errno.cs)"),
            At(Rule.Rule, 1, "Uptime", "returns 'ulong'; a syscall returns 'long' (or 'int') in rax: a value >= 0, or a negated errno (abi/Errno.cs)"));

        [Fact]
        public Task MoreThanSixRegistersAreReported() => Verify.Run("kernel", Header + @"
    [SyscallTable]
    public interface ISyscalls
    {
        [Syscall(0)] long {|#0:Seven|}(int a, int b, int c, int d, int e, int f, int g);
        [Syscall(1)] long {|#1:Spans|}(ReadOnlySpan<byte> a, Span<byte> b, ReadOnlySpan<byte> c, int d);
    }
}",
            At(Rule.Rule, 0, "Seven", "needs 7 registers (each parameter takes one, a span two), but only 6 carry arguments (rdi, rsi, rdx, r10, r8, r9); pass a struct with out/ref instead"),
            At(Rule.Rule, 1, "Spans", "needs 7 registers (each parameter takes one, a span two), but only 6 carry arguments (rdi, rsi, rdx, r10, r8, r9); pass a struct with out/ref instead"));

        private const string Allowed = "int, uint, long, ulong, bool, ReadOnlySpan<byte> (a buffer the kernel reads), Span<byte> " +
            "(a buffer the kernel fills), string (a NUL-terminated path), string[] (argv), or out/ref of an unmanaged struct or " +
            "primitive (a variable the kernel writes/reads)";

        [Fact]
        public Task ParameterTypesThatCannotTravelAreReported() => Verify.Run("kernel", Header + @"
    [SyscallTable]
    public interface ISyscalls
    {
        [Syscall(0)] long A(short {|#0:small|});
        [Syscall(1)] long B(Span<int> {|#1:numbers|});
        [Syscall(2)] long C(NotAStruct {|#2:thing|});
        [Syscall(3)] long D(out NotAStruct {|#3:thing|});
        [Syscall(4)] long E(in FileStatus {|#4:status|});
        [Syscall(5)] unsafe long F(byte* {|#5:pointer|});
        [Syscall(6)] long G(FileStatus {|#6:byValue|});
    }
}",
            At(Rule.Rule, 0, "A", "parameter 'small' has type 'short', which cannot travel in a register; allowed: " + Allowed),
            At(Rule.Rule, 1, "B", "parameter 'numbers' has type 'Span<int>', which cannot travel in a register; allowed: " + Allowed),
            At(Rule.Rule, 2, "C", "parameter 'thing' has type 'NotAStruct', which cannot travel in a register; allowed: " + Allowed),
            At(Rule.Rule, 3, "D", "parameter 'thing' has type 'out NotAStruct', which cannot travel in a register; allowed: " + Allowed),
            At(Rule.Rule, 4, "E", "parameter 'status' has type 'in FileStatus', which cannot travel in a register; allowed: " + Allowed),
            At(Rule.Rule, 5, "F", "parameter 'pointer' has type 'byte*', which cannot travel in a register; allowed: " + Allowed),
            At(Rule.Rule, 6, "G", "parameter 'byValue' has type 'FileStatus', which cannot travel in a register; allowed: " + Allowed));

        [Fact]
        public Task InterfacesWithoutTheMarkAreNotChecked() => Verify.Run("kernel", Header + @"
    public interface IOther { void Anything(object o); }
}");

        [Fact]
        public Task TheRealDeclarationIsValid()
        {
            // abi/*.cs as the kernel and the user library compile it.
            var test = new Verify("kernel", null);
            foreach (string path in Repository.SourcesUnder("abi"))
                test.TestState.Sources.Add((path, File.ReadAllText(path)));
            return test.RunAsync();
        }

        [Fact]
        public Task TheMessageTeaches()
        {
            var test = new Verify(null, Header + @"
    [SyscallTable] public interface ISyscalls { [Syscall(0)] void {|#0:Exit|}(); }
}");
            test.ExpectedDiagnostics.Add(new DiagnosticResult(Rule.Rule).WithLocation(0).WithMessage(
                "Syscall 'Exit' returns 'void'; a syscall returns 'long' (or 'int') in rax: a value >= 0, or a negated errno " +
                "(abi/Errno.cs). The [SyscallTable] interface is the one contract between user programs and the kernel: the user " +
                "stubs and the kernel's dispatch table are both generated from it, and every argument must travel in a register as " +
                "a number or a user address."));
            return test.RunAsync();
        }
    }
}
