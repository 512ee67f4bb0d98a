using System;
using System.Runtime;

namespace Internal.Runtime
{
    /// <summary>
    /// The allocation helpers the compiler calls for <c>new</c>. There is no garbage collector:
    /// memory comes from <see cref="Platform.Allocate"/> and is returned only by explicit frees
    /// (the kernel heap's Free). Objects are laid out as [MethodTable*][fields...].
    /// </summary>
    public static unsafe class Allocator
    {
        [RuntimeExport("RhpNewFast")]
        public static void* NewObject(MethodTable* type)
        {
            void** result = (void**)Platform.Allocate(type->BaseSize);
            *result = type;
            return result;
        }

        [RuntimeExport("RhpNewFinalizable")]
        private static void* NewFinalizable(MethodTable* type) => NewObject(type);

        [RuntimeExport("RhpNewArrayFast")]
        private static void* NewArrayFast(MethodTable* type, int length) => NewArray(type, length);

        [RuntimeExport("RhpNewPtrArrayFast")]
        private static void* NewPointerArray(MethodTable* type, int length) => NewArray(type, length);

        [RuntimeExport("RhpNewArray")]
        public static void* NewArray(MethodTable* type, int length)
        {
            if (length < 0) throw new OverflowException();
            ulong size = type->BaseSize + (ulong)length * type->ComponentSize;
            if (size > int.MaxValue) throw new OutOfMemoryException();
            void** result = (void**)Platform.Allocate((nuint)((size + 7) & ~7UL));
            *result = type;
            *(int*)(result + 1) = length;
            return result;
        }

        // Write barriers tell a garbage collector that a reference was stored. With no collector,
        // a barrier is a plain store.
        [RuntimeExport("RhpAssignRef")]
        private static void AssignReference(void** destination, void* value) => *destination = value;

        [RuntimeExport("RhpCheckedAssignRef")]
        private static void CheckedAssignReference(void** destination, void* value) => *destination = value;
    }
}
