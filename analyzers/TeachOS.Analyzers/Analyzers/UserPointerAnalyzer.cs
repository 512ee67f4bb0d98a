using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// TOS0002 (role kernel): kernel code may not dereference a user pointer. A syscall's arguments are
    /// numbers a user program chose; some are addresses in its memory. The kernel carries them in
    /// UserPointer&lt;T&gt;, UserBuffer and UserString (kernel/Mem/UserTypes.cs) and reaches the bytes
    /// only through the copy layer (kernel/Mem/UserMemory.cs), which checks every page first.
    /// Two checks keep it that way:
    /// <list type="number">
    /// <item>only a [UserCopyLayer] type may read the raw <c>Address</c> out of those types;</item>
    /// <item>a [SyscallHandlers] method may not take a raw pointer (T*, void*) at all.</item>
    /// </list>
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UserPointerAnalyzer : DiagnosticAnalyzer
    {
        public static readonly DiagnosticDescriptor AddressRule = new DiagnosticDescriptor(
            RuleIdentifiers.UserPointerDereference,
            title: "Kernel code may not dereference a user pointer",
            messageFormat: "'{0}' reads the raw user address out of a {1} outside the user-copy layer. A user program chose that address: it may point into the kernel, at an unmapped page or at read-only memory, and following it could crash the kernel or leak its memory. Copy through Mem.UserMemory (CopyIn, CopyOut, Read, Write, ReadString), which checks every page first; only a type marked [UserCopyLayer] may touch the raw address.",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The Address of a UserPointer<T>, UserBuffer or UserString may be read only inside a [UserCopyLayer] type.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UserPointerDereference));

        public static readonly DiagnosticDescriptor PointerParameterRule = new DiagnosticDescriptor(
            RuleIdentifiers.UserPointerDereference,
            title: "Kernel code may not dereference a user pointer",
            messageFormat: "Syscall handler '{0}' takes the raw pointer '{1}' ({2}). A user address must reach a handler as a UserPointer<T>, UserBuffer or UserString, so that the only way to its bytes is the checked copy layer (Mem.UserMemory); a raw pointer could be followed without any check. Change the parameter's type.",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Methods of a [SyscallHandlers] class take user addresses as UserPointer<T>, UserBuffer or UserString, never as pointers.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UserPointerDereference));

        /// <summary>The metadata names of the user-address types (`1: UserPointer has one type parameter).</summary>
        public static readonly ImmutableArray<string> UserAddressTypeNames =
            ImmutableArray.Create("Mem.UserPointer`1", "Mem.UserBuffer", "Mem.UserString");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics =>
            ImmutableArray.Create(AddressRule, PointerParameterRule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (Roles.From(start.Options) != Role.Kernel) return;
                var attributes = BoundaryAttributes.From(start.Compilation);

                ImmutableArray<INamedTypeSymbol> userTypes = UserAddressTypes(start.Compilation);
                if (!userTypes.IsEmpty)
                {
                    // Operations are the compiler's view after binding: `p.Address`, `this.Address` and
                    // `Address` alone all arrive as the same field reference, whatever the syntax.
                    start.RegisterOperationAction(operation => AnalyzeMemberReference(operation, userTypes, attributes),
                        OperationKind.FieldReference, OperationKind.PropertyReference);
                }
                if (attributes.SyscallHandlers != null)
                    start.RegisterSymbolAction(symbol => AnalyzeHandler(symbol, attributes), SymbolKind.Method);
            });
        }

        private static ImmutableArray<INamedTypeSymbol> UserAddressTypes(Compilation compilation)
        {
            var types = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
            foreach (string name in UserAddressTypeNames)
            {
                INamedTypeSymbol type = compilation.GetTypeByMetadataName(name);
                if (type != null) types.Add(type);
            }
            return types.ToImmutable();
        }

        // ---- 1. reading Address ----------------------------------------------------------------------

        private static void AnalyzeMemberReference(OperationAnalysisContext context, ImmutableArray<INamedTypeSymbol> userTypes, BoundaryAttributes attributes)
        {
            var reference = (IMemberReferenceOperation)context.Operation;
            if (reference.Member.Name != "Address") return;
            // UserPointer<FileStatus> is a "constructed" type; its OriginalDefinition is UserPointer<T>.
            INamedTypeSymbol owner = reference.Member.ContainingType.OriginalDefinition;
            if (!Contains(userTypes, owner)) return;

            // The types themselves (constructors, IsNull, Slice) and the copy layer may use it.
            ISymbol where = context.ContainingSymbol;
            for (INamedTypeSymbol type = where.ContainingType; type != null; type = type.ContainingType)
                if (Contains(userTypes, type.OriginalDefinition)) return;
            if (BoundaryAttributes.HasOnSelfOrContainingType(where, attributes.UserCopyLayer)) return;

            context.ReportDiagnostic(Diagnostic.Create(AddressRule, reference.Syntax.GetLocation(),
                reference.Syntax.ToString(), owner.Name));
        }

        private static bool Contains(ImmutableArray<INamedTypeSymbol> types, INamedTypeSymbol type)
        {
            foreach (INamedTypeSymbol candidate in types)
                if (SymbolEqualityComparer.Default.Equals(candidate, type)) return true;
            return false;
        }

        // ---- 2. pointer parameters of handlers ---------------------------------------------------------

        private static void AnalyzeHandler(SymbolAnalysisContext context, BoundaryAttributes attributes)
        {
            var method = (IMethodSymbol)context.Symbol;
            if (!BoundaryAttributes.Has(method.ContainingType, attributes.SyscallHandlers)) return;
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (!(parameter.Type is IPointerTypeSymbol) && !(parameter.Type is IFunctionPointerTypeSymbol)) continue;
                Location location = parameter.Locations.Length > 0 ? parameter.Locations[0] : method.Locations[0];
                context.ReportDiagnostic(Diagnostic.Create(PointerParameterRule, location,
                    method.ContainingType.Name + "." + method.Name, parameter.Name, parameter.Type.ToDisplayString()));
            }
        }
    }
}
