using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace System
{
    /// <summary>
    /// A bounds-checked window onto memory that someone else owns: part of an array, a stack buffer,
    /// or raw memory. Spans never allocate, which is why the kernel uses them on the trap path.
    /// </summary>
    public readonly ref struct Span<T>
    {
        private readonly ref T _reference;
        private readonly int _length;

        public Span(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref MemoryMarshal.GetArrayDataReference(array);
            _length = array.Length;
        }

        public Span(T[] array, int start, int length)
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

        public unsafe Span(void* pointer, int length)
        {
            if (length < 0) throw new ArgumentOutOfRangeException("length");
            _reference = ref Unsafe.As<byte, T>(ref *(byte*)pointer);
            _length = length;
        }

        internal Span(ref T reference, int length)
        {
            _reference = ref reference;
            _length = length;
        }

        public int Length => _length;

        public static Span<T> Empty => default;

        public bool IsEmpty => _length == 0;

        public ref T this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_length) throw new IndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        public ref T GetPinnableReference() => ref _reference;

        public Span<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) throw new ArgumentOutOfRangeException("start");
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        public Span<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (uint)length > (uint)_length) throw new ArgumentOutOfRangeException("start");
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        public void Clear()
        {
            for (int i = 0; i < _length; i++) Unsafe.Add(ref _reference, i) = default;
        }

        public void Fill(T value)
        {
            for (int i = 0; i < _length; i++) Unsafe.Add(ref _reference, i) = value;
        }

        public void CopyTo(Span<T> destination) => ((ReadOnlySpan<T>)this).CopyTo(destination);

        public T[] ToArray() => ((ReadOnlySpan<T>)this).ToArray();

        public Enumerator GetEnumerator() => new Enumerator(this);

        /// <summary>For <c>foreach</c> over a span (the compiler turns it into an indexed loop).</summary>
        public ref struct Enumerator
        {
            private readonly Span<T> _span;
            private int _index;

            internal Enumerator(Span<T> span)
            {
                _span = span;
                _index = -1;
            }

            public bool MoveNext() => ++_index < _span.Length;

            public ref T Current => ref _span[_index];
        }

        public static implicit operator Span<T>(T[] array) => new Span<T>(array);

        public static implicit operator ReadOnlySpan<T>(Span<T> span) => new ReadOnlySpan<T>(ref span._reference, span._length);
    }
}
