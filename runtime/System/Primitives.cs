namespace System
{
    // The primitive types. The compiler knows them by name; their single field holds the value.
    // Integer ToString() is implemented in Number.cs; the rest of formatting lives there too.

    public struct Boolean
    {
        private readonly bool _value;
        public override string ToString() => _value ? "True" : "False";
    }

    public struct Char
    {
        private readonly char _value;
        public override string ToString() => string.FromChar(_value);
        public static bool IsDigit(char c) => c >= '0' && c <= '9';
        public static bool IsWhiteSpace(char c) => c == ' ' || c == '\t' || c == '\n' || c == '\r';
        public static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    public struct SByte { private readonly sbyte _value; public override string ToString() => Number.Format(_value); }
    public struct Byte { private readonly byte _value; public override string ToString() => Number.Format(_value); }
    public struct Int16 { private readonly short _value; public override string ToString() => Number.Format(_value); }
    public struct UInt16 { private readonly ushort _value; public override string ToString() => Number.Format(_value); }

    public struct Int32
    {
        private readonly int _value;
        public const int MaxValue = 0x7fffffff;
        public const int MinValue = unchecked((int)0x80000000);
        public override string ToString() => Number.Format(_value);
        public string ToString(string format) => Number.Format(_value, format);
        public static bool TryParse(string text, out int result) => Number.TryParse(text, out result);
        public static int Parse(string text)
        {
            if (!Number.TryParse(text, out int result)) throw new FormatException("Input string was not in a correct format.");
            return result;
        }
    }

    public struct UInt32
    {
        private readonly uint _value;
        public const uint MaxValue = 0xffffffff;
        public override string ToString() => Number.Format(_value);
        public static bool TryParse(string text, out uint result)
        {
            result = 0;
            if (!Number.TryParse(text, out long wide) || wide < 0 || wide > MaxValue) return false;
            result = (uint)wide;
            return true;
        }
        public string ToString(string format) => Number.Format(_value, format);
    }

    public struct Int64
    {
        private readonly long _value;
        public const long MaxValue = 0x7fffffffffffffff;
        public const long MinValue = unchecked((long)0x8000000000000000);
        public override string ToString() => Number.Format(_value);
        public string ToString(string format) => Number.Format(_value, format);
        /// <summary>Decimal, optionally signed, or hexadecimal with "0x" (which .NET's does not take).</summary>
        public static bool TryParse(string text, out long result) => Number.TryParse(text, out result);
    }

    public struct UInt64
    {
        private readonly ulong _value;
        public const ulong MaxValue = 0xffffffffffffffff;
        public override string ToString() => Number.Format(_value);
        public string ToString(string format) => Number.Format(_value, format);
        /// <summary>Decimal, or hexadecimal with "0x" (which .NET's does not take): all 64 bits of a mask.</summary>
        public static bool TryParse(string text, out ulong result) => Number.TryParse(text, out result);
    }

    public struct IntPtr
    {
        private readonly unsafe void* _value;
        public static readonly nint Zero;
        public static unsafe int Size => sizeof(nint);
        public override unsafe string ToString() => Number.Format((long)_value);
    }

    public struct UIntPtr
    {
        private readonly unsafe void* _value;
        public override unsafe string ToString() => Number.Format((ulong)_value);
    }

    // Floating point: the types exist so the compiler and user programs can use them. (ilc also uses
    // the SSE registers for plain copies, which is why every trap saves them; see TrapFrame.)
    public struct Single { private readonly float _value; }
    public struct Double { private readonly double _value; }

    public struct RuntimeTypeHandle { private readonly nint _value; }
    public struct RuntimeMethodHandle { private readonly nint _value; }
    public struct RuntimeFieldHandle { private readonly nint _value; }
}

namespace System
{
    [Flags]
    public enum StringSplitOptions
    {
        None = 0,
        RemoveEmptyEntries = 1,
        TrimEntries = 2,
    }
}
