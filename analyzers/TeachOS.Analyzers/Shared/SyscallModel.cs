namespace TeachOS.Analyzers
{
    /// <summary>How one declared syscall parameter travels from a user program to the kernel.</summary>
    public enum SyscallParameterKind
    {
        /// <summary>int, uint, long or ulong: the value itself, in one register.</summary>
        Integer,
        /// <summary>bool: 1 or 0, in one register.</summary>
        Boolean,
        /// <summary>ReadOnlySpan&lt;byte&gt;: a buffer the kernel reads. Two registers: address, length.</summary>
        ReadOnlyBuffer,
        /// <summary>Span&lt;byte&gt;: a buffer the kernel fills. Two registers: address, length.</summary>
        WritableBuffer,
        /// <summary>string: the address of a NUL-terminated ASCII copy (a path).</summary>
        Path,
        /// <summary>string[]: the address of a NULL-terminated array of string addresses (argv).</summary>
        ArgumentVector,
        /// <summary>out T: the address of a T the kernel writes.</summary>
        OutValue,
        /// <summary>ref T: the address of a T the kernel reads and may write.</summary>
        RefValue,
    }

    /// <param name="Name">The parameter's name in the declaration.</param>
    /// <param name="Kind">How it travels.</param>
    /// <param name="Type">
    /// Its type as C# code, fully qualified ("int", "global::System.Span&lt;byte&gt;"); for out/ref the
    /// type of the variable (T), without the out/ref.
    /// </param>
    /// <param name="DisplayType">Its type as a student writes it ("Span&lt;byte&gt;", "out FileStatus").</param>
    public sealed record SyscallParameter(string Name, SyscallParameterKind Kind, string Type, string DisplayType)
    {
        /// <summary>A span is an address and a length; everything else fits in one register.</summary>
        public int Registers =>
            Kind == SyscallParameterKind.ReadOnlyBuffer || Kind == SyscallParameterKind.WritableBuffer ? 2 : 1;
    }

    /// <summary>One method of the [SyscallTable] interface, as both generators need it.</summary>
    /// <param name="Name">The method's name: the stub's name and the handler's name.</param>
    /// <param name="Number">The number from [Syscall(n)] (-1 if it has none).</param>
    /// <param name="ReturnType">"long" or "int".</param>
    /// <param name="Parameters">In declaration order.</param>
    /// <param name="Documentation">The declaration's /// lines, copied into the user stub.</param>
    /// <param name="Location">Where the declaration is (for TOS0006 "no handler").</param>
    /// <param name="SignatureIsValid">Return type, parameter types and register count are allowed (TOS0005).</param>
    /// <param name="NumberIsValid">It has a number in 0..511 that no other method uses (TOS0005).</param>
    public sealed record SyscallDeclaration(
        string Name,
        int Number,
        string ReturnType,
        EquatableArray<SyscallParameter> Parameters,
        EquatableArray<string> Documentation,
        LocationInfo Location,
        bool SignatureIsValid,
        bool NumberIsValid)
    {
        /// <summary>"long Write(int descriptor, ReadOnlySpan&lt;byte&gt; data)", as declared.</summary>
        public string DisplaySignature()
        {
            var text = new System.Text.StringBuilder();
            text.Append(ReturnType).Append(' ').Append(Name).Append('(');
            for (int i = 0; i < Parameters.Length; i++)
            {
                if (i > 0) text.Append(", ");
                text.Append(Parameters[i].DisplayType).Append(' ').Append(Parameters[i].Name);
            }
            return text.Append(')').ToString();
        }
    }

    /// <summary>Something wrong with a declaration: reported as TOS0005.</summary>
    public sealed record SyscallProblem(string MethodName, string Problem, LocationInfo Location);

    /// <summary>One [SyscallTable] interface, read and checked.</summary>
    /// <param name="InterfaceName">"Abi.ISyscalls".</param>
    /// <param name="FilePath">The file that declares it.</param>
    public sealed record SyscallTableModel(
        string InterfaceName,
        string FilePath,
        EquatableArray<SyscallDeclaration> Syscalls,
        EquatableArray<SyscallProblem> Problems);
}
