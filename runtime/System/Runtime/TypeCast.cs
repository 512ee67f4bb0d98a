using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;

namespace System.Runtime
{
    /// <summary>
    /// The checks behind <c>is</c>, <c>as</c> and casts, called by compiled code when it cannot decide
    /// at compile time. A type is assignable to a class if that class is on its base-type chain, and to
    /// an interface if the interface is in its interface map. (No generic variance: TeachOS does not
    /// need it.) A failed cast throws InvalidCastException.
    /// </summary>
    internal static unsafe class TypeCast
    {
        public static object IsInstanceOfClass(MethodTable* target, object obj)
        {
            if (obj == null) return null;
            for (MethodTable* type = obj.GetMethodTable(); type != null; type = type->BaseType)
                if (type == target) return obj;
            return null;
        }

        public static object IsInstanceOfInterface(MethodTable* target, object obj)
        {
            if (obj == null) return null;
            return ImplementsInterface(obj.GetMethodTable(), target) ? obj : null;
        }

        public static object IsInstanceOfAny(MethodTable* target, object obj)
        {
            if (obj == null) return null;
            return IsAssignable(obj.GetMethodTable(), target) ? obj : null;
        }

        public static object IsInstanceOfException(MethodTable* target, object obj) => IsInstanceOfClass(target, obj);

        public static object CheckCastClass(MethodTable* target, object obj) => Checked(IsInstanceOfClass(target, obj), obj);

        public static object CheckCastClassSpecial(MethodTable* target, object obj) => Checked(IsInstanceOfClass(target, obj), obj);

        public static object CheckCastInterface(MethodTable* target, object obj) => Checked(IsInstanceOfInterface(target, obj), obj);

        public static object CheckCastAny(MethodTable* target, object obj) => Checked(IsInstanceOfAny(target, obj), obj);

        private static object Checked(object result, object original)
        {
            if (original != null && result == null) throw new InvalidCastException();
            return result;
        }

        private static bool ImplementsInterface(MethodTable* type, MethodTable* target)
        {
            MethodTable** interfaces = type->InterfaceMap;
            for (int i = 0; i < type->InterfaceCount; i++)
                if (interfaces[i] == target) return true;
            return false;
        }

        private static bool IsAssignable(MethodTable* source, MethodTable* target)
        {
            if (source == target) return true;
            if (target->IsInterface) return ImplementsInterface(source, target);
            if (target->IsArray)
            {
                // Arrays of reference types are covariant: a string[] is an object[].
                if (!source->IsArray) return false;
                MethodTable* sourceElement = source->RelatedType, targetElement = target->RelatedType;
                return sourceElement == targetElement ||
                       (!sourceElement->IsValueType && IsAssignable(sourceElement, targetElement));
            }
            for (MethodTable* type = source->BaseType; type != null; type = type->BaseType)
                if (type == target) return true;
            return false;
        }

        /// <summary>Stores into an array of references, checking the element type (arrays are covariant).</summary>
        public static void StelemRef(object[] array, nint index, object value)
        {
            if ((nuint)index >= (uint)array.Length) throw new IndexOutOfRangeException();
            ref object element = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), index);
            if (value != null)
            {
                MethodTable* elementType = array.GetMethodTable()->RelatedType;
                if (value.GetMethodTable() != elementType && !IsAssignable(value.GetMethodTable(), elementType))
                    throw new ArrayTypeMismatchException();
            }
            element = value;
        }

        /// <summary>Takes a reference to an array element (for ref locals/arguments), with the same checks.</summary>
        public static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
        {
            if ((nuint)index >= (uint)array.Length) throw new IndexOutOfRangeException();
            if (array.GetMethodTable()->RelatedType != elementType) throw new ArrayTypeMismatchException();
            return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), index);
        }
    }
}
