using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace System
{
    /// <summary>A <see cref="Span{T}"/> that cannot be written through.</summary>
    public readonly ref struct ReadOnlySpan<T>
    {
        private readonly ref T _reference;
        private readonly int _length;

        public ReadOnlySpan(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref MemoryMarshal.GetArrayDataReference(array);
            _length = array.Length;
        }

        public ReadOnlySpan(T[] array, int start, int length)
        {
            if (array == null)
            {
                if (start != 0 || length != 0) throw new ArgumentOutOfRangeException("start");
                this = default;
                return;
            }
            if ((ulong)(uint)start + (uint)length > (uint)array.Length)
                throw new ArgumentOutOfRangeException("start");
            _reference = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)(uint)start);
            _length = length;
        }

        public unsafe ReadOnlySpan(void* pointer, int length)
        {
            if (length < 0) throw new ArgumentOutOfRangeException("length");
            _reference = ref Unsafe.As<byte, T>(ref *(byte*)pointer);
            _length = length;
        }

        internal ReadOnlySpan(ref T reference, int length)
        {
            _reference = ref reference;
            _length = length;
        }

        public int Length => _length;

        public static ReadOnlySpan<T> Empty => default;

        public bool IsEmpty => _length == 0;

        public ref readonly T this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_length) throw new IndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        public ref readonly T GetPinnableReference() => ref _reference;

        public ReadOnlySpan<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) throw new ArgumentOutOfRangeException("start");
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        public ReadOnlySpan<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (uint)length > (uint)_length) throw new ArgumentOutOfRangeException("start");
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        public void CopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length) throw new ArgumentException("Destination is too short.");
            // Copy backwards when the destination overlaps the end of the source.
            ref T target = ref destination.GetPinnableReference();
            if (Unsafe.IsAddressGreaterThan(ref target, ref _reference))
                for (int i = _length - 1; i >= 0; i--) Unsafe.Add(ref target, i) = Unsafe.Add(ref _reference, i);
            else
                for (int i = 0; i < _length; i++) Unsafe.Add(ref target, i) = Unsafe.Add(ref _reference, i);
        }

        public T[] ToArray()
        {
            T[] copy = new T[_length];
            CopyTo(copy);
            return copy;
        }


        public Enumerator GetEnumerator() => new Enumerator(this);

        /// <summary>For <c>foreach</c> over a span (the compiler turns it into an indexed loop).</summary>
        public ref struct Enumerator
        {
            private readonly ReadOnlySpan<T> _span;
            private int _index;

            internal Enumerator(ReadOnlySpan<T> span)
            {
                _span = span;
                _index = -1;
            }

            public bool MoveNext() => ++_index < _span.Length;

            public ref readonly T Current => ref _span[_index];
        }

        public static implicit operator ReadOnlySpan<T>(T[] array) => new ReadOnlySpan<T>(array);
    }

    /// <summary>Span helpers that C# finds as extension methods.</summary>
    public static class MemoryExtensions
    {
        public static bool SequenceEqual(this ReadOnlySpan<char> a, ReadOnlySpan<char> b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
                if (a[i] != b[i]) return false;
            return true;
        }

        public static bool SequenceEqual(this Span<char> a, ReadOnlySpan<char> b) => SequenceEqual((ReadOnlySpan<char>)a, b);

        public static bool SequenceEqual(this ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
                if (a[i] != b[i]) return false;
            return true;
        }

        public static ReadOnlySpan<char> AsSpan(this string text) => text.AsSpan();

        public static ReadOnlySpan<char> AsSpan(this string text, int start) => text.AsSpan().Slice(start);

        public static ReadOnlySpan<char> AsSpan(this string text, int start, int length) => text.AsSpan().Slice(start, length);
    }
}
