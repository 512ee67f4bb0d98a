using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System
{
    /// <summary>
    /// The root of every class. Its layout is a contract with the compiler: the first (and only)
    /// field of every object is a pointer to its type's MethodTable, which holds the object's size,
    /// its base type, its virtual-method table and the interfaces it implements.
    /// </summary>
    public class Object
    {
#pragma warning disable CS0169, CS0649
        internal unsafe MethodTable* _methodTable;
#pragma warning restore CS0169, CS0649

        public Object() { }

        public virtual bool Equals(object other) => ReferenceEquals(this, other);

        public virtual unsafe int GetHashCode() => (int)(nint)Unsafe.AsPointer(ref Unsafe.As<RawData>(this).Data);

        public virtual string ToString() => "object";

        public static bool ReferenceEquals(object a, object b) => a == b;

        internal unsafe MethodTable* GetMethodTable() => _methodTable;
    }

    // Lets the runtime take the address of an object's first byte after its MethodTable pointer.
    internal sealed class RawData
    {
        public byte Data;
    }
}
