using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Runtime
{
    /// <summary>
    /// Boxing: turning a struct into an object (so it can be stored as <c>object</c> or an interface)
    /// copies its bytes into a new heap object that starts with the struct type's MethodTable.
    /// Unboxing checks the type and hands back a reference to those bytes.
    /// </summary>
    internal static unsafe class RuntimeExports
    {
        public static object RhBox(MethodTable* type, ref byte data)
        {
            byte* box = (byte*)Allocator.NewObject(type);
            CopyValue(type, box + sizeof(nint), ref data);
            return Unsafe.As<nint, object>(ref *(nint*)&box);
        }

        public static object RhBoxAny(ref byte data, MethodTable* type) => RhBox(type, ref data);

        public static ref byte RhUnbox2(MethodTable* type, object obj)
        {
            if (obj == null) throw new NullReferenceException();
            if (obj.GetMethodTable() != type) throw new InvalidCastException();
            return ref Unsafe.As<RawData>(obj).Data;
        }

        public static void RhUnboxAny(object obj, ref byte data, MethodTable* type)
        {
            if (type->IsValueType)
            {
                ref byte source = ref RhUnbox2(type, obj);
                SpanHelpers.Memmove(ref data, ref source, ValueSize(type));
            }
            else
            {
                // A reference type: "unboxing" is just a checked cast.
                if (obj != null && TypeCast.IsInstanceOfAny(type, obj) == null) throw new InvalidCastException();
                Unsafe.As<byte, object>(ref data) = obj;
            }
        }

        public static void RhUnboxNullable(ref byte data, MethodTable* type, object obj) =>
            throw new NotSupportedException("Unboxing to a Nullable is not supported.");

        // A boxed value's BaseSize counts the object header and MethodTable pointer too.
        private static nuint ValueSize(MethodTable* type) => type->BaseSize - (nuint)(2 * sizeof(nint));

        private static void CopyValue(MethodTable* type, byte* destination, ref byte source) =>
            SpanHelpers.Memmove(ref *destination, ref source, ValueSize(type));
    }
}
