using System;

namespace TeachOS.Boundary
{
    // Marks that tell the TeachOS analyzers (analyzers/, rules TOS0001-TOS0007, docs/analyzers/) where
    // the boundaries are. They change nothing at run time; the compiler checks them at build time.

    /// <summary>
    /// The method executes a privileged instruction (port I/O, cli/sti/hlt, a control register or MSR,
    /// a descriptor-table load, a page-table entry write). Only code in namespace Arch.X64 may call it
    /// (TOS0003): everything privileged is in one folder, and the rest of the kernel uses its APIs.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class PrivilegedAttribute : Attribute { }

    /// <summary>
    /// The method runs in interrupt context (an interrupt handler, or code only they call): with
    /// interrupts off, on whatever thread was interrupted. It may not allocate, block, or call a
    /// method that may (TOS0004).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class InterruptContextAttribute : Attribute { }

    /// <summary>The method may block: put the calling thread to sleep until something happens.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class MayBlockAttribute : Attribute { }

    /// <summary>The method allocates on the heap (in the base library: string operations, formatting).</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class MayAllocateAttribute : Attribute { }

    /// <summary>
    /// The method frees what this parameter refers to (KernelHeap.Free): the caller must own it, that
    /// is, have allocated it or been handed it to free. TOS0007 reports arguments that cannot be owned:
    /// a constant, a static readonly field (string.Empty), the result of a [MayReturnShared] method.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class FreesAttribute : Attribute { }

    /// <summary>
    /// The method (or constructor) may return an object the caller does not own: a preinitialized one
    /// in the image (string.Empty, Array.Empty) or its own receiver (Substring of the whole string).
    /// Keep a copy (string.Copy) instead; never free the result (TOS0007).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class MayReturnSharedAttribute : Attribute { }

    /// <summary>
    /// The type is the kernel's user-memory copy layer: the only code allowed to read the raw address
    /// inside a UserPointer, UserBuffer or UserString (TOS0002).
    /// </summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
    public sealed class UserCopyLayerAttribute : Attribute { }

    /// <summary>The class holds syscall handlers (kernel/Syscalls/): the generator looks here for them.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class SyscallHandlersAttribute : Attribute { }

    /// <summary>The interface declares the system calls (abi/Syscalls.cs): one method per call.</summary>
    [AttributeUsage(AttributeTargets.Interface)]
    public sealed class SyscallTableAttribute : Attribute { }

    /// <summary>Gives a declared system call its number.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class SyscallAttribute : Attribute
    {
        public SyscallAttribute(int number) => Number = number;
        public int Number { get; }
    }

    /// <summary>
    /// Assembly code uses this type's layout (a struct's field offsets and size) or its constants. The
    /// build generates build/generated/layout.inc from it (tools/AsmLayout): PREFIX_FIELD_NAME for each
    /// field's offset, PREFIX_SIZE, PREFIX_CONSTANT_NAME for each constant, and for a frame of saved
    /// registers the macros that push and pop them. The assembly includes that file instead of copying
    /// numbers, so changing the C# changes the assembly with it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
    public sealed class SharedWithAssemblyAttribute : Attribute
    {
        public SharedWithAssemblyAttribute(string prefix) => Prefix = prefix;
        public string Prefix { get; }
    }
}
