using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// TOS0004 (role kernel): a method marked [InterruptContext] runs with interrupts off, on whatever
    /// thread was interrupted. It may not allocate (the heap may be halfway through an update by the
    /// very code it interrupted), may not block (there is no thread of its own to put to sleep, and
    /// with interrupts off nothing would wake it), and may not call anything that does either.
    ///
    /// "Anything that does" is transitive: Timer.OnTick may call Log.Write, which calls string.Concat.
    /// An analyzer action sees one method at a time, so this one works in two phases:
    /// <list type="number">
    /// <item>for every method of the compilation, record what it allocates and whom it calls
    ///   (<see cref="MethodFacts"/>), in parallel, as the compiler goes;</item>
    /// <item>at the end of the compilation, when all facts are in, follow the calls out of each
    ///   [InterruptContext] method (depth and visited set bounded) and report each bad call at its call
    ///   site, with the chain that makes it bad.</item>
    /// </list>
    /// Calls into other assemblies cannot be followed (their bodies are not source here); they count as
    /// allocating if the callee or its type is marked [MayAllocate], as blocking if marked [MayBlock].
    /// Virtual, interface and delegate calls are not followed either: which body runs is only known at
    /// run time.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class InterruptContextAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>How many calls deep the search follows.</summary>
        public const int MaximumDepth = 8;

        public static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            RuleIdentifiers.InterruptContextAllocatesOrBlocks,
            title: "Interrupt context may not allocate or block",
            messageFormat: "'{0}' runs in interrupt context and {1}. An interrupt handler runs with interrupts off, on whichever thread was interrupted: it must not allocate (the heap may be in the middle of an update by the code it interrupted) and must not block (nothing could wake it). Use memory set aside in advance, and leave the rest of the work to a thread (wake it, or set a flag it checks).",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A method marked [InterruptContext] may not allocate, call a [MayBlock] or [MayAllocate] method, or call a method of this compilation that (transitively) does.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.InterruptContextAllocatesOrBlocks),
            // Reported when the whole compilation has been seen: IDEs run such rules only on a full
            // analysis, the command-line build always does.
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            // Generated code is analysed (a handler may call into it) but no diagnostic is put in it.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (Roles.From(start.Options) != Role.Kernel) return;
                var attributes = BoundaryAttributes.From(start.Compilation);
                if (attributes.InterruptContext == null) return;

                // Actions run in parallel (EnableConcurrentExecution), hence a concurrent dictionary.
                // It lives only as long as this compilation: analyzers keep no state between compilations.
                var facts = new ConcurrentDictionary<IMethodSymbol, MethodFacts>(SymbolEqualityComparer.Default);
                start.RegisterOperationBlockAction(block =>
                {
                    if (block.OwningSymbol is IMethodSymbol method)
                        facts[method] = MethodFacts.Collect(block.OperationBlocks);
                });
                start.RegisterCompilationEndAction(end => Report(end, facts, attributes));
            });
        }

        private static void Report(CompilationAnalysisContext context, ConcurrentDictionary<IMethodSymbol, MethodFacts> facts, BoundaryAttributes attributes)
        {
            var search = new Search(facts, attributes);
            foreach (KeyValuePair<IMethodSymbol, MethodFacts> entry in facts)
            {
                IMethodSymbol method = entry.Key;
                if (!BoundaryAttributes.Has(method, attributes.InterruptContext)) continue;
                string name = method.ContainingType.Name + "." + method.Name;

                foreach (AllocationSite allocation in entry.Value.Allocations)
                    context.ReportDiagnostic(Diagnostic.Create(Rule, allocation.Location, name, allocation.What + " here"));

                foreach (CallSite call in entry.Value.Calls)
                {
                    string why = search.WhyBad(call.Callee);
                    if (why != null)
                        context.ReportDiagnostic(Diagnostic.Create(Rule, call.Location, name, "calls '" + Display(call.Callee) + "', " + why));
                }
            }
        }

        private static string Display(IMethodSymbol method) =>
            method.ContainingType == null ? method.Name : method.ContainingType.Name + "." + method.Name;

        /// <summary>The transitive search: why calling a method is not allowed in interrupt context.</summary>
        private sealed class Search
        {
            private readonly ConcurrentDictionary<IMethodSymbol, MethodFacts> _facts;
            private readonly BoundaryAttributes _attributes;

            public Search(ConcurrentDictionary<IMethodSymbol, MethodFacts> facts, BoundaryAttributes attributes)
            {
                _facts = facts;
                _attributes = attributes;
            }

            /// <summary>"which may block (it is marked [MayBlock])", "which calls 'X', which allocates at
            /// Log.cs:12 (...)", or null if nothing bad is found.</summary>
            public string WhyBad(IMethodSymbol callee) =>
                WhyBad(callee, 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));

            private string WhyBad(IMethodSymbol callee, int depth, HashSet<IMethodSymbol> visited)
            {
                IMethodSymbol method = Definition(callee);
                if (BoundaryAttributes.Has(method, _attributes.MayBlock))
                    return "which may block (it is marked [MayBlock])";
                if (BoundaryAttributes.Has(method, _attributes.MayAllocate) || BoundaryAttributes.Has(method.ContainingType, _attributes.MayAllocate))
                    return "which may allocate (it is marked [MayAllocate])";
                // Another [InterruptContext] method is checked on its own; its findings are reported there.
                if (BoundaryAttributes.Has(method, _attributes.InterruptContext)) return null;
                if (depth >= MaximumDepth || !visited.Add(method)) return null;
                if (!_facts.TryGetValue(method, out MethodFacts facts)) return null;   // no body in this compilation

                if (facts.Allocations.Count > 0)
                {
                    AllocationSite first = facts.Allocations[0];
                    return "which allocates at " + LocationInfo.From(first.Location).ShortDisplay() + " (it " + first.What + ")";
                }
                foreach (CallSite call in facts.Calls)
                {
                    string why = WhyBad(call.Callee, depth + 1, visited);
                    if (why != null) return "which calls '" + Display(call.Callee) + "', " + why;
                }
                return null;
            }

            // List<int>.Add and an extension method called as x.M() are "constructed" from the method
            // that was declared; facts and marks belong to the declared one.
            private static IMethodSymbol Definition(IMethodSymbol method) =>
                (method.ReducedFrom ?? method).OriginalDefinition;
        }
    }
}
