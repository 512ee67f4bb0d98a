"""Reading the kernel's own data structures from GDB: static fields, strings, arrays, the CPUs,
the thread table. Every other module finds kernel state through here.

Two facts about NativeAOT code shape this file:
  - A static field's DWARF location is wrong (ilc swaps the regions of reference and plain statics), so
    statics are read from the symbols ilc emits per type: __NONGCSTATICS<Type> holds the plain
    statics; __GCSTATICS<Type> points at an object whose fields (after its MethodTable pointer)
    are the references. The field's offset within its region comes from `statics` below.
  - A C# reference is a DWARF reference (`Kernel_Sched_Thread &`); null is a reference to 0.
"""

import os
import gdb

from . import names

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
KERNEL_ELF = os.path.join(ROOT, "build", "kernel.elf")
USER_ELF_DIR = os.path.join(ROOT, "build", "user")

POINTER_SIZE = 8
METHOD_TABLE_SIZE = 8          # every object starts with its MethodTable pointer

# ProcessorLocal (kernel/Arch/X64/ProcessorLocal.cs): gs:24 is the Processor object.
PROCESSOR_OBJECT_OFFSET = 24

# The statics these commands read: (type symbol, is a reference, offset in its region).
STATICS = {
    "ThreadTable.s_threads": ("Kernel_Sched_ThreadTable", True, 0),
    "ThreadTable.s_count": ("Kernel_Sched_ThreadTable", False, 0),
    "Processor.All": ("Kernel_Sched_Processor", True, 0),
    "Processor.Count": ("Kernel_Sched_Processor", False, 0),
}

THREAD_STATES = ("ready", "running", "blocked", "sleeping", "zombie")   # Sched/ThreadState.cs

_symbols = None


def symbols():
    """{name: address} of every symbol in build/kernel.elf (read once)."""
    global _symbols
    if _symbols is None:
        _symbols = {name: address for name, (address, _) in names.read_symbols(KERNEL_ELF).items()}
    return _symbols


def symbol_address(name):
    return symbols().get(name)


def read_u64(address):
    data = gdb.selected_inferior().read_memory(address & 0xFFFFFFFFFFFFFFFF, 8)
    return int.from_bytes(bytes(data), "little")


def read_i32(address):
    data = gdb.selected_inferior().read_memory(address & 0xFFFFFFFFFFFFFFFF, 4)
    return int.from_bytes(bytes(data), "little", signed=True)


def static_address(field):
    type_symbol, is_reference, offset = STATICS[field]
    if is_reference:
        holder = read_u64(symbol_address("__GCSTATICS" + type_symbol))
        return holder + METHOD_TABLE_SIZE + offset
    return symbol_address("__NONGCSTATICS" + type_symbol) + offset


def object_at(address, type_name):
    """The object at ADDRESS as a value of its DWARF class TYPE_NAME (None for null)."""
    if address == 0:
        return None
    return gdb.Value(address).cast(gdb.lookup_type(type_name).pointer()).dereference()


def field_object(value, field, type_name):
    """VALUE.FIELD, a reference, as an object (None for null)."""
    return object_at(address_of_field(value, field), type_name)


def address_of_field(value, field):
    """The address held in reference field FIELD of the object VALUE, read without following it."""
    return read_u64(int(value.address) + field_offset(value.type, field))


def field_offset(type_, field):
    for f in type_.strip_typedefs().fields():
        if f.name == field:
            return f.bitpos // 8
    raise gdb.GdbError("no field %s in %s" % (field, type_))


def string_at(address, limit=4096):
    """The text of the String object at ADDRESS: _stringLength UTF-16 units from _firstChar."""
    if address == 0:
        return None
    length = read_i32(address + METHOD_TABLE_SIZE)
    if length < 0 or length > 1 << 20:
        raise gdb.MemoryError("not a String at 0x%x (length %d)" % (address, length))
    data = gdb.selected_inferior().read_memory(address + METHOD_TABLE_SIZE + 4, 2 * min(length, limit))
    text = bytes(data).decode("utf-16-le", "replace")
    return text if length <= limit else text + "..."


def string_field(value, field):
    return string_at(address_of_field(value, field))


def array_elements(address):
    """The element addresses held in the reference array at ADDRESS (__Array<T>: length, then data)."""
    if address == 0:
        return []
    length = read_i32(address + METHOD_TABLE_SIZE)
    data = address + METHOD_TABLE_SIZE + 8
    return [read_u64(data + i * POINTER_SIZE) for i in range(length)]


def processors():
    """[(id, Processor value)] for every CPU the kernel has set up."""
    count = read_i32(static_address("Processor.Count"))
    found = []
    for address in array_elements(read_u64(static_address("Processor.All")))[:count]:
        cpu = object_at(address, "Kernel_Sched_Processor")
        if cpu is not None:
            found.append((int(cpu["Id"]), cpu))
    return found


def threads():
    """Every Thread in the thread table (kernel/Sched/ThreadTable.cs), as values."""
    count = read_i32(static_address("ThreadTable.s_count"))
    table = array_elements(read_u64(static_address("ThreadTable.s_threads")))
    return [object_at(a, "Kernel_Sched_Thread") for a in table[:count] if a]


def current_processor():
    """The Processor the selected CPU runs, found as the CPU finds it: through its GS base.
    In user mode the kernel's GS base waits in KERNEL_GS_BASE (swapgs, Arch/X64/TrapEntry.asm)."""
    innermost = gdb.newest_frame()      # the CPU's real registers, whichever frame is selected
    cs = int(innermost.read_register("cs"))
    local = int(innermost.read_register("k_gs_base" if cs & 3 else "gs_base")) & 0xFFFFFFFFFFFFFFFF
    if local == 0:
        return None
    # ProcessorLocal.Self points at itself: a cheap check that this really is the kernel's GS base.
    if read_u64(local) != local:
        return None
    return object_at(read_u64(local + PROCESSOR_OBJECT_OFFSET), "Kernel_Sched_Processor")


def current_thread():
    cpu = current_processor()
    return None if cpu is None else field_object(cpu, "CurrentThread", "Kernel_Sched_Thread")


def thread_process(thread):
    return field_object(thread, "Owner", "Kernel_Proc_Process")


def process_program(process):
    """The program's name (the file name of its ELF, /bin/fault -> fault), or None for none."""
    image = field_object(process, "Image", "Kernel_Loader_ProgramImage")
    if image is None:
        return None
    path = string_field(image, "Path")
    return None if path is None else path.rsplit("/", 1)[-1]


def thread_state(thread):
    state = int(thread["State"])
    return THREAD_STATES[state] if 0 <= state < len(THREAD_STATES) else str(state)


def running_cpu(thread, cpus=None):
    """The id of the CPU running THREAD, or None."""
    address = int(thread.address)
    for cpu_id, cpu in cpus if cpus is not None else processors():
        if address_of_field(cpu, "CurrentThread") == address:
            return cpu_id
    return None


def find_thread(thread_id):
    for thread in threads():
        if int(thread["Id"]) == thread_id:
            return thread
    return None
