using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// TOS0007 (any role): the argument of a parameter marked [Frees] (KernelHeap.Free) is memory the
    /// calling code cannot own: a constant (a literal, a const, nameof), a static readonly field
    /// (string.Empty), the result of a method or constructor marked [MayReturnShared] (Substring,
    /// FromAscii, new string(...), Array.Empty), or a local whose only value is one of those. Each is in
    /// the kernel image or shared with other code; freeing it corrupts the heap or the image.
    /// What it cannot see (a field that one path fills with a copy and another with a literal) the
    /// kernel's rule removes by construction: every string it keeps is its own copy (string.Copy).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class FreeOwnershipAnalyzer : DiagnosticAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            RuleIdentifiers.FreeOfMemoryNotOwned,
            title: "Free only memory this code owns",
            messageFormat: "'{0}' frees '{1}', which this code does not own: {2}. Only what the heap allocated for this code (new, string.Copy) may be freed, and only by its one owner; freeing anything else corrupts the heap or the kernel image. Keep your own copy (string.Copy) and free that, or do not free it.",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "An argument for a parameter marked [Frees] must not be a constant, a static readonly field, or the result of a [MayReturnShared] method.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.FreeOfMemoryNotOwned));

        // How many locals deep `a = b; b = ""` is followed: enough for real code, and no cycles.
        private const int MaximumDepth = 4;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                INamedTypeSymbol frees = start.Compilation.GetTypeByMetadataName(BoundaryAttributes.FreesName);
                if (frees == null) return;
                INamedTypeSymbol shared = start.Compilation.GetTypeByMetadataName(BoundaryAttributes.MayReturnSharedName);
                start.RegisterOperationAction(operation => Analyze(operation, frees, shared), OperationKind.Invocation);
            });
        }

        private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol frees, INamedTypeSymbol shared)
        {
            var invocation = (IInvocationOperation)context.Operation;
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Parameter == null || !BoundaryAttributes.Has(argument.Parameter.OriginalDefinition, frees)) continue;
                string reason = WhyNotOwned(argument.Value, shared, 0);
                if (reason == null) continue;
                IMethodSymbol callee = invocation.TargetMethod;
                context.ReportDiagnostic(Diagnostic.Create(Rule, argument.Syntax.GetLocation(),
                    callee.ContainingType.Name + "." + callee.Name, argument.Value.Syntax.ToString(), reason));
            }
        }

        /// <summary>Why <paramref name="value"/> cannot be memory the code owns, or null if it may be.</summary>
        private static string WhyNotOwned(IOperation value, INamedTypeSymbol shared, int depth)
        {
            value = WithoutConversions(value);
            if (value == null || depth > MaximumDepth) return null;

            if (value.ConstantValue.HasValue)
            {
                if (value.ConstantValue.Value == null) return null;      // Free(null) frees nothing
                switch (value)
                {
                    case ILiteralOperation _: return "a literal is part of the kernel image, not of the heap";
                    case INameOfOperation _: return "nameof gives a constant string, part of the kernel image";
                    case IFieldReferenceOperation field: return "'" + Name(field.Field) + "' is a constant, part of the kernel image";
                    case ILocalReferenceOperation local: return "'" + local.Local.Name + "' is a constant, part of the kernel image";
                    default: return "it is a constant, part of the kernel image";
                }
            }

            switch (value)
            {
                case IFieldReferenceOperation field when field.Field.IsStatic && field.Field.IsReadOnly:
                    return "'" + Name(field.Field) + "' is a static readonly field: set once (often preinitialized in the image) and read by everyone, so no one caller owns what it refers to";
                case IInvocationOperation call when MayReturnShared(call.TargetMethod, shared):
                    return "'" + Name(call.TargetMethod) + "' may return an object it does not give you (a shared one such as string.Empty, or its own receiver)";
                case IObjectCreationOperation creation when creation.Constructor != null && BoundaryAttributes.Has(creation.Constructor.OriginalDefinition, shared):
                    return "'new " + creation.Type.Name + "(...)' may return a shared object (the one string.Empty, when the result is empty)";
                case IConditionalOperation conditional:
                    return WhyNotOwned(conditional.WhenTrue, shared, depth + 1) ?? WhyNotOwned(conditional.WhenFalse, shared, depth + 1);
                case ICoalesceOperation coalesce:
                    return WhyNotOwned(coalesce.Value, shared, depth + 1) ?? WhyNotOwned(coalesce.WhenNull, shared, depth + 1);
                case ILocalReferenceOperation local:
                    IOperation only = OnlyValueOf(local.Local, value);
                    string reason = only == null ? null : WhyNotOwned(only, shared, depth + 1);
                    return reason == null ? null : "'" + local.Local.Name + "' only ever holds '" + WithoutConversions(only).Syntax + "': " + reason;
                default:
                    return null;
            }
        }

        private static IOperation WithoutConversions(IOperation value)
        {
            while (value is IConversionOperation conversion && conversion.OperatorMethod == null) value = conversion.Operand;
            return value;
        }

        // Generic and extension methods are constructed from a definition; the mark is on the definition.
        private static bool MayReturnShared(IMethodSymbol method, INamedTypeSymbol shared) =>
            BoundaryAttributes.Has(method.OriginalDefinition, shared)
            || (method.ReducedFrom != null && BoundaryAttributes.Has(method.ReducedFrom.OriginalDefinition, shared));

        /// <summary>
        /// The one value a local is ever given, when the method body gives it exactly one (its
        /// initializer, or a single assignment) and never passes it by ref or takes its address; else null.
        /// </summary>
        private static IOperation OnlyValueOf(ILocalSymbol local, IOperation use)
        {
            IOperation root = use;
            while (root.Parent != null) root = root.Parent;
            IOperation value = null;
            int writes = 0;
            foreach (IOperation operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                        if (declarator.Initializer != null) { writes++; value = declarator.Initializer.Value; }
                        break;
                    case IDeconstructionAssignmentOperation deconstruction when deconstruction.Target.DescendantsAndSelf().Any(target => RefersTo(target, local)):
                        writes += 2;
                        break;
                    case IAssignmentOperation assignment when RefersTo(assignment.Target, local):
                        writes++;
                        value = assignment is ISimpleAssignmentOperation simple ? simple.Value : null;
                        break;
                    case IArgumentOperation argument when argument.Parameter != null && argument.Parameter.RefKind != RefKind.None && RefersTo(argument.Value, local):
                    case IAddressOfOperation address when RefersTo(address.Reference, local):
                    case IDeclarationExpressionOperation declaration when RefersTo(declaration.Expression, local):
                    case IIncrementOrDecrementOperation increment when RefersTo(increment.Target, local):
                        writes += 2;
                        break;
                    case IForEachLoopOperation loop when loop.Locals.Contains(local, SymbolEqualityComparer.Default):
                        writes += 2;
                        break;
                }
            }
            if (local.IsRef || writes != 1) return null;
            return value;
        }

        private static bool RefersTo(IOperation operation, ILocalSymbol local) =>
            WithoutConversions(operation) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

        private static string Name(ISymbol symbol) => symbol.ContainingType == null ? symbol.Name : symbol.ContainingType.Name + "." + symbol.Name;
    }
}
