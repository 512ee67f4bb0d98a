using System;
using System.Runtime;

namespace Internal.Runtime
{
    /// <summary>
    /// Interface calls. The compiler cannot know which class will receive <c>shape.Area()</c> when
    /// <c>shape</c> is an interface, so it calls through a "dispatch cell" that names the interface
    /// and the method's slot in it. The first call lands in the assembly stub
    /// (Native/InterfaceDispatch.asm), which asks <see cref="Resolve"/> for the code address and jumps
    /// there. Resolution reads the receiver's dispatch map: (interface index, interface slot) →
    /// implementation slot, then finds the code in the virtual table (or the sealed table).
    /// </summary>
    public static unsafe class InterfaceDispatch
    {
        /// <summary>
        /// The cell the compiler emits for each interface call site: the stub to call, and a word that
        /// says which interface. Cells for the same interface slot form a run that ends with a cell
        /// whose stub is 0 and whose second word holds the slot number.
        /// </summary>
        public struct Cell
        {
            public nint Stub;
            public nint InterfaceInfo;
        }

        // The low two bits of InterfaceInfo say how the interface is named.
        private const nint KindMask = 0x3;
        private const nint AbsolutePointer = 0x1;          // InterfaceInfo is the MethodTable address
        private const nint IndirectRelativePointer = 0x2;  // relative to the word, points at a pointer
        private const nint RelativePointer = 0x3;          // relative to the word, is the MethodTable

        [RuntimeExport("teachos_resolve_interface_call")]
        private static nint Resolve(object receiver, Cell* cell)
        {
            if (receiver == null) throw new NullReferenceException();
            nint target = FindImplementation(receiver.GetMethodTable(), InterfaceOf(cell), SlotOf(cell));
            if (target == 0) throw new NotSupportedException("No implementation found for an interface method.");
            return target;
        }

        private static MethodTable* InterfaceOf(Cell* cell)
        {
            nint info = cell->InterfaceInfo;
            if ((info & KindMask) == AbsolutePointer) return (MethodTable*)(info & ~KindMask);
            nint address = ((nint)(&cell->InterfaceInfo) + (int)info) & ~KindMask;
            return (info & KindMask) == RelativePointer ? (MethodTable*)address : *(MethodTable**)address;
        }

        private static ushort SlotOf(Cell* cell)
        {
            while (cell->Stub != 0) cell++;
            return (ushort)cell->InterfaceInfo;
        }

        /// <summary>Walks the receiver's class and its bases for the one that implements the slot.</summary>
        public static nint FindImplementation(MethodTable* receiverType, MethodTable* interfaceType, ushort interfaceSlot)
        {
            for (MethodTable* type = receiverType; type != null; type = type->BaseType)
            {
                DispatchMap* map = type->DispatchMap;
                if (map == null) continue;
                DispatchMapEntry* entries = map->Entries;
                for (int i = 0; i < map->StandardEntryCount; i++)
                {
                    if (entries[i].InterfaceSlot != interfaceSlot) continue;
                    if (type->InterfaceMap[entries[i].InterfaceIndex] != interfaceType) continue;
                    ushort slot = entries[i].ImplementationSlot;
                    // Virtual: take it from the receiver's own table, in case a subclass overrides it.
                    return slot < type->VirtualSlotCount
                        ? receiverType->VirtualTable[slot]
                        : type->SealedVirtualSlot(slot - type->VirtualSlotCount);
                }
            }
            return 0;
        }
    }
}
