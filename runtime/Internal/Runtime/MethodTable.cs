using System.Runtime.InteropServices;

namespace Internal.Runtime
{
    /// <summary>
    /// The compiler's description of a type, one per type in the image: every object points to one.
    /// Only the parts the base library reads are declared. Layout (ilc 10, x64):
    /// <code>
    ///   +0  uint   flags (low 16 bits: element size for arrays and strings)
    ///   +4  uint   base size (bytes of an instance, or of an empty array/string)
    ///   +8  MT*    related type (base class; element type for arrays)
    ///  +16  ushort number of virtual-method slots
    ///  +18  ushort number of interfaces
    ///  +20  uint   hash code
    ///  +24  nint[] virtual-method table, then MT*[] interface map, then 32-bit relative
    ///              pointers: type manager, writable data, dispatch map (if any), ...
    /// </code>
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct MethodTable
    {
        private const uint HasComponentSizeFlag = 0x80000000;
        private const uint HasDispatchMapFlag = 0x00040000;
        private const uint HasFinalizerFlag = 0x00100000;
        private const uint HasSealedVTableEntriesFlag = 0x00400000;
        private const uint KindMask = 0x00030000;
        private const uint ParameterizedKind = 0x00020000;   // arrays and pointers
        private const uint ElementTypeMask = 0x7C000000;
        private const int ElementTypeShift = 26;
        // The element-type field (ilc's EETypeElementType): primitives 0x01-0x0F, other value types
        // 0x10, Nullable 0x12, classes 0x14, interfaces 0x15, arrays 0x17 and 0x18.
        private const uint LastValueTypeElementType = 0x12;
        private const uint InterfaceElementType = 0x15;
        private const uint ArrayElementType = 0x17;
        private const uint SzArrayElementType = 0x18;

        private uint _flags;
        private uint _baseSize;
        private MethodTable* _relatedType;
        private ushort _virtualSlotCount;
        private ushort _interfaceCount;
        private uint _hashCode;

        public uint BaseSize => _baseSize;

        /// <summary>Bytes per element for arrays and strings, 0 for other types.</summary>
        public ushort ComponentSize => (_flags & HasComponentSizeFlag) != 0 ? (ushort)_flags : (ushort)0;

        public bool HasComponentSize => (_flags & HasComponentSizeFlag) != 0;

        private uint ElementType => (_flags & ElementTypeMask) >> ElementTypeShift;

        public bool IsInterface => ElementType == InterfaceElementType;

        public bool IsArray => ElementType == ArrayElementType || ElementType == SzArrayElementType;

        public bool IsValueType => ElementType != 0 && ElementType <= LastValueTypeElementType;

        public bool IsParameterized => (_flags & KindMask) == ParameterizedKind;

        /// <summary>The base class (null for System.Object and interfaces), or the element type of an array.</summary>
        public MethodTable* RelatedType => _relatedType;

        public MethodTable* BaseType => IsParameterized ? null : _relatedType;

        public ushort VirtualSlotCount => _virtualSlotCount;

        public ushort InterfaceCount => _interfaceCount;

        private byte* Start
        {
            get { fixed (MethodTable* self = &this) return (byte*)self; }
        }

        public nint* VirtualTable => (nint*)(Start + sizeof(MethodTable));

        public MethodTable** InterfaceMap => (MethodTable**)(VirtualTable + _virtualSlotCount);

        // After the interface map: 32-bit self-relative pointers, in this order.
        private int* RelativePointers => (int*)(InterfaceMap + _interfaceCount);

        private const int TypeManagerIndex = 0;
        private const int WritableDataIndex = 1;
        private const int DispatchMapIndex = 2;

        private static void* ReadRelative(int* at) => (byte*)at + *at;

        /// <summary>Which interface method each implementation slot answers; null when the type has none.</summary>
        public DispatchMap* DispatchMap =>
            (_flags & HasDispatchMapFlag) != 0 ? (DispatchMap*)ReadRelative(RelativePointers + DispatchMapIndex) : null;

        /// <summary>
        /// Methods that implement an interface but are not virtual live in a separate "sealed" table,
        /// addressed by slot numbers at and above <see cref="VirtualSlotCount"/>.
        /// </summary>
        public nint SealedVirtualSlot(int index)
        {
            int at = DispatchMapIndex;
            if ((_flags & HasDispatchMapFlag) != 0) at++;
            if ((_flags & HasFinalizerFlag) != 0) at++;
            int* sealedTable = (int*)ReadRelative(RelativePointers + at);
            return (nint)ReadRelative(sealedTable + index);
        }

        public bool HasSealedVirtualSlots => (_flags & HasSealedVTableEntriesFlag) != 0;
    }

    /// <summary>A type's map from (interface, interface slot) to its own implementation slot.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct DispatchMap
    {
        public ushort StandardEntryCount;
        public ushort DefaultEntryCount;
        public ushort StandardStaticEntryCount;
        public ushort DefaultStaticEntryCount;

        public DispatchMapEntry* Entries
        {
            get { fixed (DispatchMap* self = &this) return (DispatchMapEntry*)(self + 1); }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct DispatchMapEntry
    {
        public ushort InterfaceIndex;
        public ushort InterfaceSlot;
        public ushort ImplementationSlot;
    }
}

namespace Internal.Runtime
{
    /// <summary>Lets the kernel see an object's type without reflection (for panic reports).</summary>
    public static unsafe class ObjectHeader
    {
        public static MethodTable* MethodTableOf(object obj) => obj.GetMethodTable();
    }
}
