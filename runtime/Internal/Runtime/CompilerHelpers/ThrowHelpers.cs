using System;
using System.Runtime;

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>
    /// Where compiled code goes when a check it inserted fails: a bounds check, a null check it could
    /// not leave to the hardware, an overflow or a division by zero. All end in <c>throw</c>.
    /// </summary>
    internal static class ThrowHelpers
    {
        private static void ThrowIndexOutOfRangeException() => throw new IndexOutOfRangeException();
        private static void ThrowNullReferenceException() => throw new NullReferenceException();
        private static void ThrowDivideByZeroException() => throw new DivideByZeroException();
        private static void ThrowOverflowException() => throw new OverflowException();
        private static void ThrowInvalidCastException() => throw new InvalidCastException();
        private static void ThrowArrayTypeMismatchException() => throw new ArrayTypeMismatchException();
        private static void ThrowPlatformNotSupportedException() => throw new NotSupportedException("Not supported on TeachOS.");
        private static void ThrowTypeLoadException() => throw new NotSupportedException("Type could not be loaded.");
        private static void ThrowArgumentException() => throw new ArgumentException("Value does not fall within the expected range.");
        private static void ThrowArgumentOutOfRangeException() => throw new ArgumentOutOfRangeException("index");
        private static void ThrowNotImplementedException() => throw new NotImplementedException();
        // ilc compiles a method it cannot compile (invalid IL, a missing type) into a call to this.
        private static void ThrowInvalidProgramException(int reason) => throw new NotSupportedException("This method's code is invalid (ilc could not compile it).");
        private static void ThrowInvalidProgramExceptionWithArgument(int reason, string method) => throw new NotSupportedException(string.Concat("This method's code is invalid (ilc could not compile it): ", method));
        private static void ThrowFeatureBodyRemoved() => throw new NotSupportedException("This code was removed by the compiler.");
    }

    /// <summary>Throwing: with no unwinder, every throw ends execution through the platform.</summary>
    internal static class ExceptionHandling
    {
        [RuntimeExport("RhpThrowEx")]
        private static void Throw(Exception exception) => Platform.Fail(exception);

        [RuntimeExport("RhpRethrow")]
        private static void Rethrow() => Platform.Fail(new InvalidOperationException("rethrow"));
    }

    internal static class LdTokenHelpers
    {
        private static RuntimeTypeHandle GetRuntimeTypeHandle(nint type) => default;
        private static RuntimeMethodHandle GetRuntimeMethodHandle(nint method) => default;
        private static RuntimeFieldHandle GetRuntimeFieldHandle(nint field) => default;
    }
}
