using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// TOS0005: the [SyscallTable] interface (abi/Syscalls.cs) must fit the calling convention, because
    /// both sides of every system call are generated from it. Runs in every role: the kernel and the
    /// user library both compile abi/.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SyscallDeclarationAnalyzer : DiagnosticAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            RuleIdentifiers.SyscallDeclaration,
            title: "Syscall declarations must fit the calling convention",
            messageFormat: "Syscall '{0}' {1}. The [SyscallTable] interface is the one contract between user programs and the kernel: the user stubs and the kernel's dispatch table are both generated from it, and every argument must travel in a register as a number or a user address.",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Every method of a [SyscallTable] interface needs a [Syscall(n)] number of its own in 0..511, returns long or int, uses at most six registers and only the parameter types the generator can carry across the boundary.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.SyscallDeclaration));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                INamedTypeSymbol tableAttribute = start.Compilation.GetTypeByMetadataName(BoundaryAttributes.SyscallTableName);
                if (tableAttribute == null) return;
                // A symbol action sees each declared type once, whichever file or partial part it is in.
                start.RegisterSymbolAction(symbol => AnalyzeType(symbol, tableAttribute), SymbolKind.NamedType);
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol tableAttribute)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Interface || !BoundaryAttributes.Has(type, tableAttribute)) return;

            SyscallTableModel table = SyscallTableReader.Read(type, context.CancellationToken);
            foreach (SyscallProblem problem in table.Problems)
                context.ReportDiagnostic(Diagnostic.Create(Rule, problem.Location?.ToLocation(context.Compilation),
                    problem.MethodName, problem.Problem));
        }
    }
}
