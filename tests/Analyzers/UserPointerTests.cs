using Xunit;
using Verify = TeachOS.Tests.Analyzers.AnalyzerTest<TeachOS.Analyzers.UserPointerAnalyzer>;
using static TeachOS.Tests.Analyzers.Expect;
using Rule = TeachOS.Analyzers.UserPointerAnalyzer;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>TOS0002: kernel code may not dereference a user pointer.</summary>
    public class UserPointerTests
    {
        // The user-address types as in kernel/Mem/UserTypes.cs: their own members use Address freely.
        private const string UserTypes = @"
namespace Mem
{
    public readonly struct UserPointer<T> where T : unmanaged
    {
        public readonly ulong Address;
        public UserPointer(ulong address) => Address = address;
        public bool IsNull => Address == 0;
    }
    public readonly struct UserBuffer
    {
        public readonly ulong Address;
        public readonly ulong Length;
        public UserBuffer(ulong address, ulong length) { Address = address; Length = length; }
        public UserBuffer Slice(ulong offset, ulong length) => new UserBuffer(Address + offset, length);
    }
    public readonly struct UserString
    {
        public readonly ulong Address;
        public UserString(ulong address) => Address = address;
    }
}
";

        [Fact]
        public Task ReadingAddressInAHandlerIsReported() => Verify.Run("kernel", UserTypes + @"
namespace Syscalls
{
    using Mem;

    public static unsafe class FileSyscalls
    {
        public static long Write(int descriptor, UserBuffer data)
        {
            byte* bytes = (byte*){|#0:data.Address|};
            return bytes[0];
        }
        public static long Open(UserString path) => (long){|#1:path.Address|};
        public static long Stat(UserPointer<long> status) { *(long*){|#2:status.Address|} = 0; return 0; }
    }
}",
            At(Rule.AddressRule, 0, "data.Address", "UserBuffer"),
            At(Rule.AddressRule, 1, "path.Address", "UserString"),
            At(Rule.AddressRule, 2, "status.Address", "UserPointer"));

        [Fact]
        public Task TheCopyLayerMayReadAddress() => Verify.Run("kernel", UserTypes + @"
namespace Mem
{
    [TeachOS.Boundary.UserCopyLayer]
    public static unsafe class UserMemory
    {
        public static bool Read(UserPointer<long> pointer, out long value)
        {
            value = Check(pointer.Address) ? 1 : 0;
            return true;
        }
        private static bool Check(ulong address) => address != 0;

        private static class Nested   // inside the copy layer too
        {
            public static ulong Of(UserString text) => text.Address;
        }
    }
}

namespace Syscalls
{
    using Mem;

    public static class Handlers
    {
        // Carrying the value around (IsNull, Slice, passing it on) is not dereferencing.
        public static long Exit(UserPointer<long> status, UserBuffer buffer) =>
            status.IsNull ? 0 : (UserMemory.Read(status, out long v) ? v : (long)buffer.Slice(1, 2).Length);
    }
}");

        [Fact]
        public Task APointerParameterOfAHandlerIsReported() => Verify.Run("kernel", UserTypes + @"
namespace Syscalls
{
    using Mem;

    [TeachOS.Boundary.SyscallHandlers]
    public static unsafe class FileSyscalls
    {
        public static long Read(int descriptor, byte* {|#0:buffer|}, ulong length) => 0;
        public static long Poke(void* {|#1:where|}) => 0;
        public static long Write(int descriptor, UserBuffer data) => 0;   // the right way
    }

    public static unsafe class NotHandlers
    {
        public static long Copy(byte* to, byte* from) => 0;    // not a [SyscallHandlers] class
    }
}",
            At(Rule.PointerParameterRule, 0, "FileSyscalls.Read", "buffer", "byte*"),
            At(Rule.PointerParameterRule, 1, "FileSyscalls.Poke", "where", "void*"));

        [Fact]
        public Task OtherTypesWithAnAddressAreFine() => Verify.Run("kernel", UserTypes + @"
namespace Mem
{
    public struct PhysicalPage { public ulong Address; }
    public static class Pages { public static ulong Of(PhysicalPage page) => page.Address; }
}");

        [Fact]
        public Task UserCodeIsNotChecked() => Verify.Run("user", UserTypes + @"
namespace Programs
{
    public static class Peek { public static ulong Of(Mem.UserString text) => text.Address; }
}");

        [Fact]
        public async Task TheMessageTeaches()
        {
            var test = new Verify("kernel", UserTypes + @"
namespace Syscalls { using Mem; public static class H { public static ulong Of(UserString path) => {|#0:path.Address|}; } }");
            test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Rule.AddressRule).WithLocation(0).WithMessage(
                "'path.Address' reads the raw user address out of a UserString outside the user-copy layer. A user program chose " +
                "that address: it may point into the kernel, at an unmapped page or at read-only memory, and following it could " +
                "crash the kernel or leak its memory. Copy through Mem.UserMemory (CopyIn, CopyOut, Read, Write, ReadString), " +
                "which checks every page first; only a type marked [UserCopyLayer] may touch the raw address."));
            await test.RunAsync();
        }
    }
}
