using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// The syscall generator. It reads the [SyscallTable] interface (abi/Syscalls.cs) of the compilation
    /// and writes, depending on TeachOSRole:
    /// <list type="bullet">
    /// <item>kernel: Syscalls.SyscallTable (Count, NameOf, Invoke), which calls for each declared method
    ///   the static method of the same name in a [SyscallHandlers] class (KernelTableEmitter), and reports
    ///   TOS0006 for a syscall without a matching handler;</item>
    /// <item>user: the stubs of TeachOS.Sys (UserStubEmitter).</item>
    /// </list>
    /// Declarations with a TOS0005 problem are left out (the analyzer reports them), so one mistake gives
    /// one clear error, not a cascade in generated code.
    ///
    /// It is an incremental generator: a pipeline of steps whose results the compiler caches, so a
    /// keystroke in an unrelated file re-runs nothing. Each step hands the next only plain, comparable
    /// data (records of strings), never symbols or syntax, or the caching could not work.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SyscallGenerator : IIncrementalGenerator
    {
        public static readonly DiagnosticDescriptor HandlerRule = new DiagnosticDescriptor(
            RuleIdentifiers.SyscallHandler,
            title: "Every declared syscall needs a matching handler",
            messageFormat: "Syscall '{0}' (number {1}) {2}. The generated dispatch table (Syscalls.SyscallTable.Invoke) calls, for each declared syscall, the static method of the same name in a [SyscallHandlers] class, with each user address turned into a UserBuffer, UserString or UserPointer<T> so that no handler can touch user memory unchecked. Expected: '{3}' in a [SyscallHandlers] class.",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "In the kernel, each method of the [SyscallTable] interface needs exactly one static handler of the same name, whose parameters are the kernel-side types of the declared ones.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.SyscallHandler));

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            // Step 1: the role, from the MSBuild property TeachOSRole.
            IncrementalValueProvider<Role> role = context.AnalyzerConfigOptionsProvider
                .Select((options, _) => Roles.From(options.GlobalOptions));

            // Step 2: every interface marked [SyscallTable], read into a model. ForAttributeWithMetadataName
            // is the fast path for "declarations carrying this attribute": the compiler keeps an index.
            IncrementalValueProvider<ImmutableArray<SyscallTableModel>> tables = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    BoundaryAttributes.SyscallTableName,
                    predicate: (node, _) => node is InterfaceDeclarationSyntax,
                    transform: (attributed, cancellationToken) =>
                        SyscallTableReader.Read((INamedTypeSymbol)attributed.TargetSymbol, cancellationToken))
                .Collect();

            // Step 3: every class marked [SyscallHandlers], with its methods.
            IncrementalValueProvider<ImmutableArray<HandlerClass>> handlers = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    BoundaryAttributes.SyscallHandlersName,
                    predicate: (node, _) => node is ClassDeclarationSyntax,
                    transform: (attributed, cancellationToken) =>
                        HandlerClass.Read((INamedTypeSymbol)attributed.TargetSymbol, cancellationToken))
                .Collect();

            // Step 4: all three together produce the source.
            context.RegisterSourceOutput(role.Combine(tables).Combine(handlers),
                (output, input) => Execute(output, input.Left.Left, input.Left.Right, input.Right));
        }

        private static void Execute(SourceProductionContext output, Role role,
            ImmutableArray<SyscallTableModel> tables, ImmutableArray<HandlerClass> handlerClasses)
        {
            if (tables.IsDefaultOrEmpty) return;   // this compilation declares no syscalls (a user program)
            SyscallTableModel table = tables[0];
            var declared = new List<SyscallDeclaration>();
            foreach (SyscallTableModel each in tables) declared.AddRange(each.Syscalls);
            declared.Sort((x, y) => x.Number.CompareTo(y.Number));

            if (role == Role.Kernel || role == Role.User)
                output.AddSource("SyscallNumbers.g.cs", NumbersEmitter.Emit(table.InterfaceName, table.FilePath, declared));
            if (role == Role.Kernel)
                EmitKernel(output, table, declared, handlerClasses);
            else if (role == Role.User)
                EmitUser(output, table, declared);
        }

        private static void EmitKernel(SourceProductionContext output, SyscallTableModel table,
            List<SyscallDeclaration> declared, ImmutableArray<HandlerClass> handlerClasses)
        {
            var handlers = new List<HandlerMethod>();
            foreach (HandlerClass handlerClass in handlerClasses) handlers.AddRange(handlerClass.Methods);

            var entries = new List<KernelTableEmitter.Entry>();
            foreach (SyscallDeclaration syscall in declared)
            {
                if (!syscall.NumberIsValid || !syscall.SignatureIsValid) continue;   // TOS0005 says why
                HandlerMatcher.Match match = HandlerMatcher.Find(syscall, handlers);
                if (match.Problem != null)
                    output.ReportDiagnostic(Diagnostic.Create(HandlerRule, match.ProblemLocation?.ToLocation(),
                        syscall.Name, syscall.Number, match.Problem, HandlerMatcher.ExpectedSignature(syscall)));
                entries.Add(new KernelTableEmitter.Entry(syscall, match.Handler));
            }
            output.AddSource("SyscallTable.g.cs",
                KernelTableEmitter.Emit(table.InterfaceName, table.FilePath, declared.Count, entries));
        }

        private static void EmitUser(SourceProductionContext output, SyscallTableModel table, List<SyscallDeclaration> declared)
        {
            // A stub needs a number and a valid signature; a duplicate number still makes a stub (the
            // user side has no switch to clash in), and TOS0005 reports it.
            var stubs = new List<SyscallDeclaration>();
            foreach (SyscallDeclaration syscall in declared)
                if (syscall.SignatureIsValid && syscall.Number >= 0) stubs.Add(syscall);
            output.AddSource("Sys.g.cs", UserStubEmitter.Emit(table.InterfaceName, table.FilePath, stubs));
        }
    }
}
