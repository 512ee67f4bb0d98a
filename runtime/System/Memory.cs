using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>
    /// Byte copies and fills. ilc calls these for large struct copies, <c>stackalloc</c> zeroing and
    /// array copies, so they must exist; they are deliberately simple loops.
    /// </summary>
    internal static class SpanHelpers
    {
        public static unsafe void Memmove(ref byte destination, ref byte source, nuint length)
        {
            byte* to = (byte*)Unsafe.AsPointer(ref destination);
            byte* from = (byte*)Unsafe.AsPointer(ref source);
            if (to == from || length == 0) return;
            if (to < from || to >= from + length)
                for (nuint i = 0; i < length; i++) to[i] = from[i];
            else
                for (nuint i = length; i > 0; i--) to[i - 1] = from[i - 1];
        }

        public static unsafe void ClearWithoutReferences(ref byte start, nuint length)
        {
            byte* at = (byte*)Unsafe.AsPointer(ref start);
            for (nuint i = 0; i < length; i++) at[i] = 0;
        }

        public static unsafe void ClearWithReferences(ref nint start, nuint pointerCount)
        {
            nint* at = (nint*)Unsafe.AsPointer(ref start);
            for (nuint i = 0; i < pointerCount; i++) at[i] = 0;
        }

        public static unsafe void Fill(ref byte start, nuint length, byte value)
        {
            byte* at = (byte*)Unsafe.AsPointer(ref start);
            for (nuint i = 0; i < length; i++) at[i] = value;
        }
    }

    public static class Buffer
    {
        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount) =>
            SpanHelpers.Memmove(ref destination, ref source, byteCount);

        public static unsafe void MemoryCopy(void* source, void* destination, long destinationSize, long bytesToCopy)
        {
            if (bytesToCopy > destinationSize) throw new ArgumentOutOfRangeException("bytesToCopy");
            SpanHelpers.Memmove(ref *(byte*)destination, ref *(byte*)source, (nuint)bytesToCopy);
        }
    }

    public static class Math
    {
        public static int Min(int a, int b) => a < b ? a : b;
        public static int Max(int a, int b) => a > b ? a : b;
        public static long Min(long a, long b) => a < b ? a : b;
        public static long Max(long a, long b) => a > b ? a : b;
        public static ulong Min(ulong a, ulong b) => a < b ? a : b;
        public static ulong Max(ulong a, ulong b) => a > b ? a : b;
        public static int Abs(int value) => value < 0 ? -value : value;
        public static long Abs(long value) => value < 0 ? -value : value;

        // Checked conversions from floating point, which the compiler calls for `checked((int)d)`.
        private static int ConvertToInt32Checked(double value)
        {
            if (!(value > -2147483649.0 && value < 2147483648.0)) throw new OverflowException();
            return (int)value;
        }

        private static uint ConvertToUInt32Checked(double value)
        {
            if (!(value > -1.0 && value < 4294967296.0)) throw new OverflowException();
            return (uint)value;
        }

        private static long ConvertToInt64Checked(double value)
        {
            if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0)) throw new OverflowException();
            return (long)value;
        }

        private static ulong ConvertToUInt64Checked(double value)
        {
            if (!(value > -1.0 && value < 18446744073709551616.0)) throw new OverflowException();
            return (ulong)value;
        }
    }
}

namespace System.Runtime.InteropServices
{
    /// <summary>Required by ilc's type system; TeachOS has no dynamic casting.</summary>
    public interface IDynamicInterfaceCastable
    {
        private static nint GetDynamicInterfaceImplementation(object instance, nint interfaceType, ushort slot) =>
            throw new NotSupportedException("Dynamic interface casting is not supported.");
    }
}
