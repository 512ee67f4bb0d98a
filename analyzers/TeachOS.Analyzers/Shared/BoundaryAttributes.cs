using Microsoft.CodeAnalysis;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// The marker attributes of runtime/TeachOS/BoundaryAttributes.cs, found by their metadata names.
    /// An analyzer cannot reference TeachOS.Runtime (it runs inside the compiler, on .NET), so it looks
    /// the attribute classes up in each compilation and compares symbols.
    /// </summary>
    public sealed class BoundaryAttributes
    {
        public const string Namespace = "TeachOS.Boundary";
        public const string PrivilegedName = Namespace + ".PrivilegedAttribute";
        public const string InterruptContextName = Namespace + ".InterruptContextAttribute";
        public const string MayBlockName = Namespace + ".MayBlockAttribute";
        public const string MayAllocateName = Namespace + ".MayAllocateAttribute";
        public const string UserCopyLayerName = Namespace + ".UserCopyLayerAttribute";
        public const string SyscallHandlersName = Namespace + ".SyscallHandlersAttribute";
        public const string SyscallTableName = Namespace + ".SyscallTableAttribute";
        public const string SyscallName = Namespace + ".SyscallAttribute";
        public const string FreesName = Namespace + ".FreesAttribute";
        public const string MayReturnSharedName = Namespace + ".MayReturnSharedAttribute";

        public INamedTypeSymbol Privileged { get; private set; }
        public INamedTypeSymbol InterruptContext { get; private set; }
        public INamedTypeSymbol MayBlock { get; private set; }
        public INamedTypeSymbol MayAllocate { get; private set; }
        public INamedTypeSymbol UserCopyLayer { get; private set; }
        public INamedTypeSymbol SyscallHandlers { get; private set; }
        public INamedTypeSymbol SyscallTable { get; private set; }
        public INamedTypeSymbol Syscall { get; private set; }

        /// <summary>
        /// Looks every attribute up once per compilation. A null property means the compilation cannot
        /// see that attribute, so nothing in it can be marked with it.
        /// </summary>
        public static BoundaryAttributes From(Compilation compilation) => new BoundaryAttributes
        {
            Privileged = compilation.GetTypeByMetadataName(PrivilegedName),
            InterruptContext = compilation.GetTypeByMetadataName(InterruptContextName),
            MayBlock = compilation.GetTypeByMetadataName(MayBlockName),
            MayAllocate = compilation.GetTypeByMetadataName(MayAllocateName),
            UserCopyLayer = compilation.GetTypeByMetadataName(UserCopyLayerName),
            SyscallHandlers = compilation.GetTypeByMetadataName(SyscallHandlersName),
            SyscallTable = compilation.GetTypeByMetadataName(SyscallTableName),
            Syscall = compilation.GetTypeByMetadataName(SyscallName),
        };

        /// <summary>True if <paramref name="symbol"/> carries the attribute <paramref name="attribute"/>.</summary>
        public static bool Has(ISymbol symbol, INamedTypeSymbol attribute)
        {
            if (symbol == null || attribute == null) return false;
            foreach (AttributeData data in symbol.GetAttributes())
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute)) return true;
            return false;
        }

        /// <summary>
        /// True if <paramref name="symbol"/> or one of the types around it carries the attribute: code in
        /// a nested type, a lambda or a local function belongs to the outer type too.
        /// </summary>
        public static bool HasOnSelfOrContainingType(ISymbol symbol, INamedTypeSymbol attribute)
        {
            for (ISymbol current = symbol; current != null; current = current.ContainingSymbol)
            {
                if (current is INamespaceSymbol) return false;
                if (Has(current, attribute)) return true;
            }
            return false;
        }
    }
}
