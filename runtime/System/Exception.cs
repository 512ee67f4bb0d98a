namespace System
{
    /// <summary>
    /// TeachOS has no stack unwinder, so an exception is never caught: <c>throw</c> ends in
    /// <see cref="Internal.Runtime.Platform.Fail"/>, which in the kernel is a panic (message, exception
    /// type, registers, symbolized backtrace) and in a user program ends the process with that report.
    /// Code that can fail in an expected way returns an error value instead (see the syscall layer).
    /// </summary>
    public class Exception
    {
        private readonly string _message;

        public Exception() : this(null) { }

        public Exception(string message) => _message = message;

        public Exception(string message, Exception innerException) : this(message) { }

        public virtual string Message => _message ?? "An exception was thrown.";

        public override string ToString() => Message;
    }

    public class SystemException : Exception
    {
        public SystemException(string message) : base(message) { }
    }

    public sealed class IndexOutOfRangeException : SystemException
    {
        public IndexOutOfRangeException() : base("Index was outside the bounds of the array.") { }
    }

    public sealed class NullReferenceException : SystemException
    {
        public NullReferenceException() : base("Object reference not set to an instance of an object.") { }
    }

    public sealed class InvalidCastException : SystemException
    {
        public InvalidCastException() : base("Specified cast is not valid.") { }
    }

    public sealed class DivideByZeroException : SystemException
    {
        public DivideByZeroException() : base("Attempted to divide by zero.") { }
    }

    public sealed class OverflowException : SystemException
    {
        public OverflowException() : base("Arithmetic operation resulted in an overflow.") { }
    }

    public sealed class OutOfMemoryException : SystemException
    {
        public OutOfMemoryException() : base("Insufficient memory to continue the execution of the program.") { }
    }

    public sealed class ArrayTypeMismatchException : SystemException
    {
        public ArrayTypeMismatchException() : base("Attempted to access an element as a type incompatible with the array.") { }
    }

    public class ArgumentException : SystemException
    {
        public ArgumentException(string message) : base(message) { }
    }

    public sealed class ArgumentNullException : ArgumentException
    {
        public ArgumentNullException(string parameterName) : base(string.Concat("Value cannot be null: ", parameterName)) { }
    }

    public sealed class ArgumentOutOfRangeException : ArgumentException
    {
        public ArgumentOutOfRangeException(string parameterName)
            : base(string.Concat("Specified argument was out of the range of valid values: ", parameterName)) { }
    }

    public sealed class InvalidOperationException : SystemException
    {
        public InvalidOperationException(string message) : base(message) { }
    }

    public sealed class NotSupportedException : SystemException
    {
        public NotSupportedException(string message) : base(message) { }
    }

    public sealed class NotImplementedException : SystemException
    {
        public NotImplementedException() : base("The method or operation is not implemented.") { }
    }

    public sealed class FormatException : SystemException
    {
        public FormatException(string message) : base(message) { }
    }
}
