using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>
    /// Base of every array. The layout (MethodTable pointer, 32-bit length, padding, elements) is a
    /// contract with the compiler, which also emits the bounds check before every element access:
    /// an index outside [0, Length) calls ThrowHelpers.ThrowIndexOutOfRangeException.
    /// </summary>
    public abstract class Array
    {
        private readonly int _length;
#pragma warning disable CS0169
        private readonly int _padding;
#pragma warning restore CS0169

        public int Length => _length;

        /// <summary>Copies <paramref name="length"/> elements; the arrays must have the same element type.</summary>
        public static void Copy<T>(T[] source, int sourceIndex, T[] destination, int destinationIndex, int length)
        {
            new ReadOnlySpan<T>(source, sourceIndex, length).CopyTo(new Span<T>(destination, destinationIndex, length));
        }

        public static void Clear<T>(T[] array) => new Span<T>(array).Clear();

        public static void Resize<T>(ref T[] array, int newSize)
        {
            T[] larger = new T[newSize];
            if (array != null)
                Copy(array, 0, larger, 0, array.Length < newSize ? array.Length : newSize);
            array = larger;
        }

        /// <summary>The one empty array of T, preinitialized in the image: never free it.</summary>
        [TeachOS.Boundary.MayReturnShared]
        public static T[] Empty<T>() => EmptyArray<T>.Value;

        /// <summary>The first index holding an element equal to <paramref name="value"/> (by Equals), or -1.</summary>
        public static int IndexOf<T>(T[] array, T value) where T : class
        {
            for (int i = 0; i < array.Length; i++)
            {
                T element = array[i];
                if (element == null ? value == null : element.Equals(value)) return i;
            }
            return -1;
        }

        private static class EmptyArray<T>
        {
            internal static readonly T[] Value = new T[0];
        }
    }

    // The compiler derives T[] from this type.
    public class Array<T> : Array { }
}
