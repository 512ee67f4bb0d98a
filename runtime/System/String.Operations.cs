using System.Runtime.CompilerServices;
using TeachOS.Boundary;

namespace System
{
    // Searching, slicing and joining. Each of these allocates a new string when it returns one, except
    // those marked [MayReturnShared]: an empty result is the shared Empty, and a result equal to the
    // whole input may be the input itself (as in .NET). Code that frees strings copies with Copy.
    public sealed partial class String
    {
        [MayReturnShared]
        public static string Concat(string a, string b) => Concat(a, b, null, null);

        [MayReturnShared]
        public static string Concat(string a, string b, string c) => Concat(a, b, c, null);

        [MayReturnShared]
        public static string Concat(string a, string b, string c, string d)
        {
            int length = LengthOf(a) + LengthOf(b) + LengthOf(c) + LengthOf(d);
            if (length == 0) return Empty;
            string result = Allocate(length);
            int at = 0;
            at = CopyInto(result, at, a);
            at = CopyInto(result, at, b);
            at = CopyInto(result, at, c);
            CopyInto(result, at, d);
            return result;
        }

        [MayReturnShared]
        public static string Concat(params string[] parts)
        {
            int length = 0;
            foreach (string part in parts) length += LengthOf(part);
            if (length == 0) return Empty;
            string result = Allocate(length);
            int at = 0;
            foreach (string part in parts) at = CopyInto(result, at, part);
            return result;
        }

        // `"n = " + 42` compiles to Concat(object, object) when a value is involved.
        [MayReturnShared]
        public static string Concat(object a, object b) => Concat(a?.ToString(), b?.ToString());

        [MayReturnShared]
        public static string Concat(object a, object b, object c) =>
            Concat(a?.ToString(), b?.ToString(), c?.ToString());

        [MayReturnShared]
        public static string Join(string separator, string[] parts)
        {
            if (parts.Length == 0) return Empty;
            string result = parts[0];
            for (int i = 1; i < parts.Length; i++)
                result = Concat(result, separator, parts[i]);
            return result;
        }

        private static int LengthOf(string text) => text is null ? 0 : text._stringLength;

        private static int CopyInto(string destination, int at, string source)
        {
            if (source is null) return at;
            for (int i = 0; i < source._stringLength; i++)
                Unsafe.Add(ref destination._firstChar, at + i) = Unsafe.Add(ref source._firstChar, i);
            return at + source._stringLength;
        }

        [MayReturnShared]
        public string Substring(int startIndex) => Substring(startIndex, _stringLength - startIndex);

        [MayReturnShared]
        public string Substring(int startIndex, int length)
        {
            if ((uint)startIndex > (uint)_stringLength || (uint)length > (uint)(_stringLength - startIndex))
                throw new ArgumentOutOfRangeException("startIndex");
            if (length == _stringLength) return this;
            return new string(AsSpan().Slice(startIndex, length));
        }

        public int IndexOf(char value) => IndexOf(value, 0);

        public int IndexOf(char value, int startIndex)
        {
            for (int i = startIndex; i < _stringLength; i++)
                if (Unsafe.Add(ref _firstChar, i) == value) return i;
            return -1;
        }

        public int IndexOf(string value)
        {
            for (int i = 0; i + value._stringLength <= _stringLength; i++)
                if (AsSpan().Slice(i, value._stringLength).SequenceEqual(value)) return i;
            return -1;
        }

        public int LastIndexOf(char value)
        {
            for (int i = _stringLength - 1; i >= 0; i--)
                if (Unsafe.Add(ref _firstChar, i) == value) return i;
            return -1;
        }

        public bool Contains(char value) => IndexOf(value) >= 0;

        public bool Contains(string value) => IndexOf(value) >= 0;

        public bool StartsWith(string prefix) =>
            prefix._stringLength <= _stringLength && AsSpan().Slice(0, prefix._stringLength).SequenceEqual(prefix);

        public bool EndsWith(string suffix) =>
            suffix._stringLength <= _stringLength &&
            AsSpan().Slice(_stringLength - suffix._stringLength).SequenceEqual(suffix);

        [MayReturnShared]
        public string Trim()
        {
            int start = 0, end = _stringLength;
            while (start < end && char.IsWhiteSpace(this[start])) start++;
            while (end > start && char.IsWhiteSpace(this[end - 1])) end--;
            return Substring(start, end - start);
        }

        /// <summary>Splits at every <paramref name="separator"/>, as .NET does: "a,,b" gives "a", "", "b".</summary>
        public string[] Split(char separator) => Split(separator, StringSplitOptions.None);

        /// <summary>With RemoveEmptyEntries, runs of separators count as one (as a shell splits words).</summary>
        public string[] Split(char separator, StringSplitOptions options)
        {
            bool removeEmpty = (options & StringSplitOptions.RemoveEmptyEntries) != 0;
            int count = 0;
            ForEachPiece(separator, removeEmpty, null, ref count);
            string[] parts = new string[count];
            count = 0;
            ForEachPiece(separator, removeEmpty, parts, ref count);
            return parts;
        }

        // Walks the pieces between separators; counts them, and stores them when `parts` is given.
        private void ForEachPiece(char separator, bool removeEmpty, string[] parts, ref int count)
        {
            int start = 0;
            for (int i = 0; i <= _stringLength; i++)
            {
                if (i < _stringLength && this[i] != separator) continue;
                if (!removeEmpty || i > start)
                {
                    if (parts != null) parts[count] = Substring(start, i - start);
                    count++;
                }
                start = i + 1;
            }
        }

        [MayReturnShared]
        public string PadLeft(int totalWidth, char padding = ' ') =>
            _stringLength >= totalWidth ? this : Concat(new string(padding, totalWidth - _stringLength), this);

        [MayReturnShared]
        public string PadRight(int totalWidth, char padding = ' ') =>
            _stringLength >= totalWidth ? this : Concat(this, new string(padding, totalWidth - _stringLength));

        public int CompareTo(string other)
        {
            int shorter = _stringLength < other._stringLength ? _stringLength : other._stringLength;
            for (int i = 0; i < shorter; i++)
            {
                int difference = this[i] - other[i];
                if (difference != 0) return difference;
            }
            return _stringLength - other._stringLength;
        }
    }
}
