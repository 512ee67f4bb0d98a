"""Pretty printers: GDB shows the runtime's objects as a C# programmer thinks of them.

Without them `p thread.Name` shows {_stringLength = 5, _firstChar = 107 u'k'}: the first character
only, because a String keeps its text inline after the length (runtime/System/String.cs), which
DWARF describes as one char16_t. These read what the runtime's layouts say:
  String             _stringLength UTF-16 units from _firstChar            -> "kmain"
  T[] (__Array<T>)   m_NumComponents elements from m_Data                  -> [3] = {...}
  Span<T>            _reference, _length (runtime/System/Span.cs)          -> Span<T>[4] = {...}
  TrapFrame          the vector by name, where it came from, the registers
  Thread, Process    id, name, state, and the fields
"""

import gdb

from . import kernel, names

MAX_ELEMENTS = 200


def _strip(value_type):
    t = value_type.strip_typedefs()
    return t.target().strip_typedefs() if t.code == gdb.TYPE_CODE_REF else t


def _fields_of(value):
    """The object's own fields (the Object base, its MethodTable pointer, left out). A reference to
    another object is shown as a pointer (p *thread.Process follows it): a Thread's Process has a
    MainThread whose Process is the same again, so following every reference would never end."""
    for field in value.type.strip_typedefs().fields():
        if field.is_base_class or not field.name or getattr(field, "bitpos", None) is None:
            continue
        if field.type.strip_typedefs().code != gdb.TYPE_CODE_REF:
            yield field.name, value[field.name]
            continue
        target = field.type.strip_typedefs().target()
        address = kernel.read_u64(int(value.address) + field.bitpos // 8)
        if target.strip_typedefs().name == "String" and address:
            yield field.name, kernel.object_at(address, "String")
        else:
            yield field.name, gdb.Value(address).cast(target.pointer())


def _element(address, element_type):
    """The array element at ADDRESS. A reference element is shown as its object (a String as its
    text), or as a null pointer, which GDB could not follow."""
    if element_type.strip_typedefs().code == gdb.TYPE_CODE_REF:
        target = element_type.strip_typedefs().target()
        pointer = kernel.read_u64(address)
        if pointer == 0:
            return gdb.Value(0).cast(target.pointer())
        return gdb.Value(pointer).cast(target.pointer()).dereference()
    return gdb.Value(address).cast(element_type.pointer()).dereference()


def _is_null(value):
    return value.address is None or int(value.address) == 0


class StringPrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        if _is_null(self.value):
            return "null"
        return kernel.string_at(int(self.value.address))

    def display_hint(self):
        return "string"


class ArrayPrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        if _is_null(self.value):
            return "null"
        return "%s[%d]" % (str(self.value.type.strip_typedefs()).replace("__Array<", "").rstrip(">"),
                           int(self.value["m_NumComponents"]))

    def children(self):
        if _is_null(self.value):
            return
        data = self.value["m_Data"]
        element = data.type.strip_typedefs().target()
        start = int(data.address)
        for i in range(min(int(self.value["m_NumComponents"]), MAX_ELEMENTS)):
            yield "[%d]" % i, _element(start + i * element.sizeof, element)

    def display_hint(self):
        return "array"


class SpanPrinter:
    def __init__(self, value):
        self.value = value

    def _length(self):
        length = int(self.value["_length"])
        return length if 0 <= length <= 1 << 24 else None

    def to_string(self):
        name = str(self.value.type.strip_typedefs().name).replace("TeachOS_Runtime_System_", "").replace("_1<", "<")
        length = self._length()
        return "%s[%s]" % (name, length if length is not None else "invalid length %d" % int(self.value["_length"]))

    def children(self):
        if self._length() is None:
            return
        reference = self.value["_reference"]
        element = _strip(reference.type)
        start = int(reference.address) if reference.type.strip_typedefs().code == gdb.TYPE_CODE_REF else int(reference)
        for i in range(min(int(self.value["_length"]), MAX_ELEMENTS)):
            yield "[%d]" % i, _element(start + i * element.sizeof, element)

    def display_hint(self):
        return "array"


class TrapFramePrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        vector, cs = int(self.value["Vector"]), int(self.value["Cs"])
        return "%s, error code 0x%x, at rip 0x%x rsp 0x%x" % (
            names.trap_marker(vector, cs), int(self.value["ErrorCode"]), int(self.value["Rip"]),
            int(self.value["Rsp"]))

    def children(self):
        for name, field in _fields_of(self.value):
            yield name, field.cast(gdb.lookup_type("void").pointer()) if name not in ("Vector", "ErrorCode") else field


class ThreadPrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        if _is_null(self.value):
            return "null"
        process = kernel.thread_process(self.value)
        owner = "kernel thread" if process is None else "pid %d" % int(process["Id"])
        return "thread %d %s, %s, %s" % (int(self.value["Id"]), kernel.string_field(self.value, "Name"),
                                         kernel.thread_state(self.value), owner)

    def children(self):
        return _fields_of(self.value) if not _is_null(self.value) else iter(())


class ProcessPrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        if _is_null(self.value):
            return "null"
        parent = kernel.field_object(self.value, "Parent", "Kernel_Proc_Process")
        state = "zombie, status %d" % int(self.value["ExitStatus"]) if bool(self.value["IsZombie"]) else \
            "%d threads" % int(self.value["LiveThreads"])
        return "process %d %s (%s), parent %s, %s" % (
            int(self.value["Id"]), kernel.string_field(self.value, "Name"), kernel.process_program(self.value),
            "none" if parent is None else int(parent["Id"]), state)

    def children(self):
        return _fields_of(self.value) if not _is_null(self.value) else iter(())


def lookup(value):
    t = value.type.strip_typedefs()
    if t.code not in (gdb.TYPE_CODE_STRUCT,):
        return None
    name = t.name or ""
    if name == "String":
        return StringPrinter(value)
    if name.startswith("__Array<"):
        return ArrayPrinter(value)
    if name.startswith(("TeachOS_Runtime_System_Span_1<", "TeachOS_Runtime_System_ReadOnlySpan_1<")):
        return SpanPrinter(value)
    if name == "Kernel_Arch_X64_TrapFrame":
        return TrapFramePrinter(value)
    if name == "Kernel_Sched_Thread":
        return ThreadPrinter(value)
    if name == "Kernel_Proc_Process":
        return ProcessPrinter(value)
    return None


def register():
    gdb.pretty_printers.append(lookup)
