using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using TeachOS.Boundary;

namespace System
{
    /// <summary>
    /// An immutable sequence of UTF-16 characters. The layout (length, then the characters, then a
    /// terminating NUL) is a contract with the compiler: string literals are laid out this way in the
    /// image, and a new string is allocated like an array of char.
    ///
    /// Who owns a string: as in .NET, an operation that would build an empty string returns the one
    /// <see cref="Empty"/> of the image, and one that would copy a whole string (Substring(0), Trim of
    /// nothing) returns the string itself. Those methods are marked [MayReturnShared]. Code that frees
    /// strings (the kernel: there is no garbage collector) keeps its own copy made by
    /// <see cref="Copy"/> or <see cref="CopyFromAscii"/>, which always allocate, and frees only that
    /// (docs/analyzers/TOS0007.md; the TOS0007 rule reports what it can see).
    /// </summary>
    public sealed partial class String
    {
        private readonly int _stringLength;
        private char _firstChar;

        public static readonly string Empty = "";

        public int Length => _stringLength;

        [IndexerName("Chars")]
        public char this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_stringLength)
                    throw new IndexOutOfRangeException();
                return Unsafe.Add(ref _firstChar, index);
            }
        }

        /// <summary>Lets <c>fixed (char* p = text)</c> pin the characters.</summary>
        public ref readonly char GetPinnableReference() => ref _firstChar;

        // `new string(...)` is compiled by ilc into a call to the matching static Ctor method below.
        // Each returns Empty when the string would be empty.
        [MethodImpl(MethodImplOptions.InternalCall), MayReturnShared]
        public extern String(char[] value);

        [MethodImpl(MethodImplOptions.InternalCall), MayReturnShared]
        public extern String(char[] value, int startIndex, int length);

        [MethodImpl(MethodImplOptions.InternalCall), MayReturnShared]
        public extern unsafe String(char* value, int startIndex, int length);

        [MethodImpl(MethodImplOptions.InternalCall), MayReturnShared]
        public extern String(ReadOnlySpan<char> value);

        [MethodImpl(MethodImplOptions.InternalCall), MayReturnShared]
        public extern String(char c, int count);

        private static string Ctor(char[] value) => Ctor(new ReadOnlySpan<char>(value));

        private static string Ctor(char[] value, int startIndex, int length) =>
            Ctor(new ReadOnlySpan<char>(value, startIndex, length));

        private static unsafe string Ctor(char* value, int startIndex, int length) =>
            Ctor(new ReadOnlySpan<char>(value + startIndex, length));

        private static string Ctor(ReadOnlySpan<char> value)
        {
            if (value.Length == 0) return Empty;
            string result = Allocate(value.Length);
            for (int i = 0; i < value.Length; i++)
                Unsafe.Add(ref result._firstChar, i) = value[i];
            return result;
        }

        private static string Ctor(char c, int count)
        {
            if (count <= 0) return Empty;
            string result = Allocate(count);
            for (int i = 0; i < count; i++)
                Unsafe.Add(ref result._firstChar, i) = c;
            return result;
        }

        /// <summary>A string from NUL-terminated ASCII bytes, e.g. the kernel command line. Empty: <see cref="Empty"/>.</summary>
        [MayReturnShared]
        public static unsafe string FromAscii(byte* text)
        {
            int length = 0;
            while (text[length] != 0) length++;
            return FromAscii(text, length);
        }

        /// <summary>A string from <paramref name="length"/> ASCII bytes; for length 0, the shared <see cref="Empty"/>.</summary>
        [MayReturnShared]
        public static unsafe string FromAscii(byte* text, int length) =>
            length == 0 ? Empty : CopyFromAscii(new ReadOnlySpan<byte>(text, length));

        /// <summary>
        /// A new string with the characters of <paramref name="value"/>, always freshly allocated, even
        /// when empty: the caller owns it and may free it (the kernel's rule for every string it keeps).
        /// </summary>
        public static string Copy(ReadOnlySpan<char> value)
        {
            string result = Allocate(value.Length);
            for (int i = 0; i < value.Length; i++)
                Unsafe.Add(ref result._firstChar, i) = value[i];
            return result;
        }

        /// <summary>A new string from ASCII bytes, always freshly allocated (see <see cref="Copy"/>).</summary>
        public static string CopyFromAscii(ReadOnlySpan<byte> text)
        {
            string result = Allocate(text.Length);
            for (int i = 0; i < text.Length; i++)
                Unsafe.Add(ref result._firstChar, i) = (char)text[i];
            return result;
        }

        public static string FromChar(char c) => new string(c, 1);

        /// <summary>Allocates a string of <paramref name="length"/> NUL characters, to be filled in.</summary>
        internal static unsafe string Allocate(int length)
        {
            // A string is allocated like an array: base size plus length * sizeof(char).
            nint allocated = (nint)Allocator.NewArray(Empty._methodTable, length);
            return Unsafe.As<nint, string>(ref allocated);
        }

        internal ref char FirstChar => ref _firstChar;

        /// <summary>For <c>foreach (char c in text)</c>; the compiler turns that into an indexed loop.</summary>
        public ReadOnlySpan<char>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

        public ReadOnlySpan<char> AsSpan() => new ReadOnlySpan<char>(ref _firstChar, _stringLength);

        public static implicit operator ReadOnlySpan<char>(string value) =>
            value == null ? default : value.AsSpan();

        [MayReturnShared]
        public override string ToString() => this;

        public override bool Equals(object other) => other is string text && Equals(this, text);

        public override int GetHashCode()
        {
            // FNV-1a over the characters: simple, and good enough for the kernel's small tables.
            uint hash = 2166136261;
            for (int i = 0; i < _stringLength; i++)
                hash = (hash ^ Unsafe.Add(ref _firstChar, i)) * 16777619;
            return (int)hash;
        }

        public static bool Equals(string a, string b)
        {
            if (ReferenceEquals(a, b)) return true;
            if (a is null || b is null || a._stringLength != b._stringLength) return false;
            for (int i = 0; i < a._stringLength; i++)
                if (Unsafe.Add(ref a._firstChar, i) != Unsafe.Add(ref b._firstChar, i)) return false;
            return true;
        }

        public static bool operator ==(string a, string b) => Equals(a, b);

        public static bool operator !=(string a, string b) => !Equals(a, b);

        public static bool IsNullOrEmpty(string value) => value is null || value._stringLength == 0;
    }
}
