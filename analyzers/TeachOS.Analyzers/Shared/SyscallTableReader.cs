using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// Reads a [SyscallTable] interface into a <see cref="SyscallTableModel"/> and checks it against the
    /// calling convention. The TOS0005 analyzer reports the problems it finds; the generator builds
    /// only from the declarations that passed, so a bad declaration gives one clear error instead of a
    /// pile of errors in generated code.
    /// </summary>
    public static class SyscallTableReader
    {
        public const int MaximumNumber = 511;
        public const int MaximumRegisters = 6;

        /// <summary>The names of the six argument registers, in order (abi/SyscallNumbers.cs).</summary>
        public static readonly string[] RegisterNames = { "rdi", "rsi", "rdx", "r10", "r8", "r9" };

        public const string AllowedTypes =
            "int, uint, long, ulong, bool, ReadOnlySpan<byte> (a buffer the kernel reads), Span<byte> (a buffer " +
            "the kernel fills), string (a NUL-terminated path), string[] (argv), or out/ref of an unmanaged " +
            "struct or primitive (a variable the kernel writes/reads)";

        // How types are written in generated code: fully qualified with global::, so no name in the
        // file that includes the code can capture them; keywords (int, string) stay keywords.
        private static readonly SymbolDisplayFormat CodeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

        // How types are written in messages: as short as a student would write them.
        private static readonly SymbolDisplayFormat ShortFormat = SymbolDisplayFormat.MinimallyQualifiedFormat;

        public static SyscallTableModel Read(INamedTypeSymbol table, CancellationToken cancellationToken)
        {
            var syscalls = new List<SyscallDeclaration>();
            var problems = new List<SyscallProblem>();
            foreach (ISymbol member in table.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is IMethodSymbol method && method.MethodKind == MethodKind.Ordinary)
                    syscalls.Add(ReadMethod(method, problems, cancellationToken));
            }
            MarkDuplicateNumbers(syscalls, problems);

            Location location = table.Locations.Length > 0 ? table.Locations[0] : null;
            return new SyscallTableModel(
                table.ToDisplayString(),
                location?.SourceTree?.FilePath ?? "",
                new EquatableArray<SyscallDeclaration>(syscalls.ToArray()),
                new EquatableArray<SyscallProblem>(problems.ToArray()));
        }

        private static SyscallDeclaration ReadMethod(IMethodSymbol method, List<SyscallProblem> problems, CancellationToken cancellationToken)
        {
            LocationInfo location = LocationInfo.From(method.Locations.Length > 0 ? method.Locations[0] : null);
            void Problem(string text, Location at = null) =>
                problems.Add(new SyscallProblem(method.Name, text, LocationInfo.From(at) ?? location));

            int number = NumberOf(method);
            bool numberIsValid = true;
            if (number < 0 && !HasSyscallAttribute(method))
            {
                Problem("has no [Syscall(n)] attribute, so it has no number; give it the next free one, e.g. [Syscall(" + NextFreeNumberHint(method) + ")]");
                numberIsValid = false;
            }
            else if (number < 0 || number > MaximumNumber)
            {
                Problem("has number " + number + ", outside 0.." + MaximumNumber + " (the kernel's table has 512 entries)");
                numberIsValid = false;
            }

            bool signatureIsValid = true;
            string returnType = method.ReturnType.SpecialType == SpecialType.System_Int64 ? "long"
                : method.ReturnType.SpecialType == SpecialType.System_Int32 ? "int" : null;
            if (returnType == null)
            {
                Problem("returns '" + method.ReturnType.ToDisplayString(ShortFormat) + "'; a syscall returns 'long' (or 'int') in rax: a value >= 0, or a negated errno (abi/Errno.cs)");
                signatureIsValid = false;
            }

            var parameters = new List<SyscallParameter>();
            int registers = 0;
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                SyscallParameter read = ReadParameter(parameter);
                if (read == null)
                {
                    Problem("parameter '" + parameter.Name + "' has type '" + DisplayWithRefKind(parameter) + "', which cannot travel in a register; allowed: " + AllowedTypes,
                        parameter.Locations.Length > 0 ? parameter.Locations[0] : null);
                    signatureIsValid = false;
                    continue;
                }
                parameters.Add(read);
                registers += read.Registers;
            }
            if (registers > MaximumRegisters)
            {
                Problem("needs " + registers + " registers (each parameter takes one, a span two), but only " + MaximumRegisters + " carry arguments (rdi, rsi, rdx, r10, r8, r9); pass a struct with out/ref instead");
                signatureIsValid = false;
            }

            return new SyscallDeclaration(method.Name, number, returnType ?? "long",
                new EquatableArray<SyscallParameter>(parameters.ToArray()),
                new EquatableArray<string>(DocumentationLines(method, cancellationToken)),
                location, signatureIsValid, numberIsValid);
        }

        /// <summary>The n of [Syscall(n)], or -1. Attributes are matched by name, so the table can be
        /// read whether the attribute class comes from source or from TeachOS.Runtime.</summary>
        private static int NumberOf(IMethodSymbol method)
        {
            foreach (AttributeData attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != BoundaryAttributes.SyscallName) continue;
                if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int number)
                    return number;
            }
            return -1;
        }

        private static bool HasSyscallAttribute(IMethodSymbol method)
        {
            foreach (AttributeData attribute in method.GetAttributes())
                if (attribute.AttributeClass?.ToDisplayString() == BoundaryAttributes.SyscallName) return true;
            return false;
        }

        private static int NextFreeNumberHint(IMethodSymbol method)
        {
            int highest = -1;
            foreach (ISymbol member in method.ContainingType.GetMembers())
                if (member is IMethodSymbol other && NumberOf(other) > highest) highest = NumberOf(other);
            return highest + 1;
        }

        /// <summary>Classifies a parameter, or returns null if its type is not allowed.</summary>
        private static SyscallParameter ReadParameter(IParameterSymbol parameter)
        {
            ITypeSymbol type = parameter.Type;
            string code = type.ToDisplayString(CodeFormat);
            string display = type.ToDisplayString(ShortFormat);

            if (parameter.RefKind == RefKind.Out || parameter.RefKind == RefKind.Ref)
            {
                // The kernel copies sizeof(T) bytes: T must be a plain struct without references.
                bool plainStruct = type.IsUnmanagedType && (type.TypeKind == TypeKind.Struct || type.TypeKind == TypeKind.Enum);
                if (!plainStruct) return null;
                bool isOut = parameter.RefKind == RefKind.Out;
                return new SyscallParameter(parameter.Name, isOut ? SyscallParameterKind.OutValue : SyscallParameterKind.RefValue,
                    code, (isOut ? "out " : "ref ") + display);
            }
            if (parameter.RefKind != RefKind.None) return null;

            switch (type.SpecialType)
            {
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                    return new SyscallParameter(parameter.Name, SyscallParameterKind.Integer, code, display);
                case SpecialType.System_Boolean:
                    return new SyscallParameter(parameter.Name, SyscallParameterKind.Boolean, code, display);
                case SpecialType.System_String:
                    return new SyscallParameter(parameter.Name, SyscallParameterKind.Path, code, display);
            }
            if (type is IArrayTypeSymbol array && array.Rank == 1 && array.ElementType.SpecialType == SpecialType.System_String)
                return new SyscallParameter(parameter.Name, SyscallParameterKind.ArgumentVector, code, display);
            if (IsSpanOfByte(type, "Span"))
                return new SyscallParameter(parameter.Name, SyscallParameterKind.WritableBuffer, code, display);
            if (IsSpanOfByte(type, "ReadOnlySpan"))
                return new SyscallParameter(parameter.Name, SyscallParameterKind.ReadOnlyBuffer, code, display);
            return null;
        }

        private static bool IsSpanOfByte(ITypeSymbol type, string name) =>
            type is INamedTypeSymbol named
            && named.Name == name
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && named.TypeArguments.Length == 1
            && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

        private static string DisplayWithRefKind(IParameterSymbol parameter)
        {
            string type = parameter.Type.ToDisplayString(ShortFormat);
            switch (parameter.RefKind)
            {
                case RefKind.Out: return "out " + type;
                case RefKind.Ref: return "ref " + type;
                case RefKind.In: return "in " + type;
                default: return type;
            }
        }

        /// <summary>Two methods with one number: both are reported, each naming the other.</summary>
        private static void MarkDuplicateNumbers(List<SyscallDeclaration> syscalls, List<SyscallProblem> problems)
        {
            for (int i = 0; i < syscalls.Count; i++)
            {
                if (syscalls[i].Number < 0) continue;
                for (int j = 0; j < syscalls.Count; j++)
                {
                    if (i == j || syscalls[i].Number != syscalls[j].Number) continue;
                    problems.Add(new SyscallProblem(syscalls[i].Name,
                        "uses number " + syscalls[i].Number + ", as '" + syscalls[j].Name + "' does; each syscall needs a number of its own, or the kernel cannot tell which one a program asked for",
                        syscalls[i].Location));
                    syscalls[i] = syscalls[i] with { NumberIsValid = false };
                }
            }
        }

        /// <summary>The /// lines above the declaration, trimmed, to copy next to the user stub.</summary>
        private static string[] DocumentationLines(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var lines = new List<string>();
            if (method.DeclaringSyntaxReferences.Length == 0) return lines.ToArray();
            SyntaxNode syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            // Read the trivia as text: whether the compiler parsed it as a documentation comment
            // depends on the project's settings, the text does not.
            string trivia = syntax.GetLeadingTrivia().ToFullString();
            foreach (string raw in trivia.Split('\n'))
            {
                string line = raw.Trim();
                if (line.StartsWith("///")) lines.Add(line);
            }
            return lines.ToArray();
        }
    }
}
