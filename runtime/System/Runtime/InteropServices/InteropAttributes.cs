using System.Runtime.CompilerServices;

namespace System.Runtime.InteropServices
{
    public enum LayoutKind { Sequential = 0, Explicit = 2, Auto = 3 }

    public enum CharSet { None = 1, Ansi = 2, Unicode = 3, Auto = 4 }

    public enum CallingConvention { Winapi = 1, Cdecl = 2, StdCall = 3, ThisCall = 4, FastCall = 5 }

    /// <summary>How a struct's fields are laid out in memory: the kernel's hardware structures use it.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
    public sealed class StructLayoutAttribute : Attribute
    {
        public StructLayoutAttribute(LayoutKind layoutKind) { }
        public int Pack;
        public int Size;
        public CharSet CharSet;
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = false)]
    public sealed class FieldOffsetAttribute : Attribute
    {
        public FieldOffsetAttribute(int offset) { }
    }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class DllImportAttribute : Attribute
    {
        public DllImportAttribute(string dllName) { }
        public string EntryPoint;
        public CallingConvention CallingConvention;
    }

    /// <summary>Marks a method callable from assembly with the C calling convention.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class UnmanagedCallersOnlyAttribute : Attribute
    {
        public Type[] CallConvs;
        public string EntryPoint;
    }

    /// <summary>Named by the compiler for the <c>unmanaged</c> generic constraint.</summary>
    public enum UnmanagedType { Bool = 2, I1 = 3, U1 = 4, I2 = 5, U2 = 6, I4 = 7, U4 = 8, I8 = 9, U8 = 10 }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class InAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class OutAttribute : Attribute { }

    public static class MemoryMarshal
    {
        [Intrinsic]
        public static extern ref T GetArrayDataReference<T>(T[] array);

        public static unsafe Span<TTo> Cast<TFrom, TTo>(Span<TFrom> span)
            where TFrom : unmanaged where TTo : unmanaged
        {
            fixed (TFrom* pointer = span)
                return new Span<TTo>(pointer, span.Length * sizeof(TFrom) / sizeof(TTo));
        }
    }
}

namespace System.Runtime
{
    /// <summary>Gives a C# method a fixed symbol name so assembly (or another image) can call it.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class RuntimeExportAttribute : Attribute
    {
        public RuntimeExportAttribute(string entry) { }
    }

    /// <summary>
    /// Declares an extern method whose body is the symbol <c>entry</c>: with library "*" the call is a
    /// direct call, resolved by the linker. This is how C# reaches the kernel's assembly routines.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class RuntimeImportAttribute : Attribute
    {
        public RuntimeImportAttribute(string library) { }
        public RuntimeImportAttribute(string library, string entry) { }
    }
}
