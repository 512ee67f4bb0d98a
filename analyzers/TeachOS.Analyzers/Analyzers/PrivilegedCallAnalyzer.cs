using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// TOS0003 (role kernel): a method marked [Privileged] executes a privileged instruction (port I/O,
    /// cli/sti/hlt, a control register or MSR, a descriptor-table load, a page-table entry write). Only
    /// code in namespace Arch.X64 (kernel/Arch/X64/) may call it; the rest of the kernel uses the APIs
    /// Arch.X64 builds on top. All of the hardware's rules then live in one folder.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PrivilegedCallAnalyzer : DiagnosticAnalyzer
    {
        public const string ArchitectureNamespace = "Arch.X64";

        public static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            RuleIdentifiers.PrivilegedOutsideArch,
            title: "Privileged operations only in architecture code",
            messageFormat: "'{0}' is [Privileged]: it executes a privileged instruction, and only code in namespace Arch.X64 may call it, but '{1}' is in {2}. Keeping every privileged instruction in the architecture layer puts the hardware's rules (interrupts on and off, ports, control registers, page tables) in one folder that can be read, checked and ported on its own. Call the Arch.X64 API that wraps it (or add one there).",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Methods marked [Privileged] may be called only from namespace Arch.X64 or a namespace nested in it.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.PrivilegedOutsideArch));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (Roles.From(start.Options) != Role.Kernel) return;
                INamedTypeSymbol privileged = start.Compilation.GetTypeByMetadataName(BoundaryAttributes.PrivilegedName);
                if (privileged == null) return;
                // A call (Cpu.Halt()), a method group turned into a delegate or a function pointer
                // (&Cpu.Halt), and a property whose accessor is marked all run the privileged code.
                start.RegisterOperationAction(operation => Analyze(operation, privileged),
                    OperationKind.Invocation, OperationKind.MethodReference, OperationKind.PropertyReference);
            });
        }

        private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol privileged)
        {
            IMethodSymbol callee = CalleeOf(context.Operation);
            if (callee == null || !IsPrivileged(callee, privileged)) return;
            if (IsInArchitectureNamespace(context.ContainingSymbol)) return;

            INamespaceSymbol ns = context.ContainingSymbol.ContainingNamespace;
            string where = ns == null || ns.IsGlobalNamespace ? "the global namespace" : "namespace " + ns.ToDisplayString();
            context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(),
                callee.ContainingType.Name + "." + callee.Name, CallerName(context.ContainingSymbol), where));
        }

        private static IMethodSymbol CalleeOf(IOperation operation)
        {
            switch (operation)
            {
                case IInvocationOperation invocation: return invocation.TargetMethod;
                case IMethodReferenceOperation reference: return reference.Method;
                case IPropertyReferenceOperation property:
                    // Reading uses the getter, assigning the setter; either may carry the mark.
                    bool assigned = property.Parent is IAssignmentOperation assignment && assignment.Target == property;
                    return assigned ? property.Property.SetMethod : property.Property.GetMethod;
                default: return null;
            }
        }

        // Generic and extension methods are "constructed" from a definition; the mark is on the definition.
        private static bool IsPrivileged(IMethodSymbol method, INamedTypeSymbol privileged) =>
            BoundaryAttributes.Has(method.OriginalDefinition, privileged)
            || (method.ReducedFrom != null && BoundaryAttributes.Has(method.ReducedFrom.OriginalDefinition, privileged));

        /// <summary>True for Arch.X64 and any namespace nested in it (Arch.X64.Apic).</summary>
        public static bool IsInArchitectureNamespace(ISymbol symbol)
        {
            INamespaceSymbol ns = symbol.ContainingNamespace;
            if (ns == null || ns.IsGlobalNamespace) return false;
            string name = ns.ToDisplayString();
            return name == ArchitectureNamespace || name.StartsWith(ArchitectureNamespace + ".", System.StringComparison.Ordinal);
        }

        // A lambda or local function is named after the method it is written in.
        private static string CallerName(ISymbol symbol)
        {
            while (symbol is IMethodSymbol method && (method.MethodKind == MethodKind.AnonymousFunction || method.MethodKind == MethodKind.LocalFunction))
                symbol = symbol.ContainingSymbol;
            return symbol.ContainingType != null ? symbol.ContainingType.Name + "." + symbol.Name : symbol.Name;
        }
    }
}
