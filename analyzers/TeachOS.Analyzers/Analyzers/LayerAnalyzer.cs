using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// TOS0008 (role kernel): a namespace may use only its own layer and the layers below it, as the
    /// layer table (kernel/Layers.txt, an additional file) lists them. A kernel whose dependencies go
    /// one way can be read bottom up: a student studies the memory layer without the scheduler, and a
    /// new subsystem (a disk file system, a network stack) cannot tie the layers into a knot.
    ///
    /// What counts as a use is what the compiler binds, not what the text says: a using directive
    /// (also `using static` and aliases), a type named in a declaration or an expression, a member
    /// called or read. The used namespace is the containing namespace of the symbol the name binds to,
    /// so `Scheduler.Yield()` after `using Sched;` and `Sched.Scheduler.Yield()` are the same use.
    /// One finding per use: in `Sched.Scheduler.Current.Id`, only `Scheduler` is reported.
    ///
    /// The table itself is checked too (reported on the table file): a line that is neither a layer nor
    /// a namespace, a namespace placed in a layer nobody declared, a namespace placed twice, and a
    /// namespace the kernel declares that the table does not place.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LayerAnalyzer : DiagnosticAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            RuleIdentifiers.LayerViolation,
            title: "A layer may use only itself and the layers below it",
            messageFormat: "Namespace {0} (layer {1}) may not use {2} (namespace {3}, layer {4}): a layer uses only itself and the layers below it in kernel/Layers.txt. Move the code to the layer it belongs to, or let the lower layer declare an abstract class that the higher one implements and registers at boot.",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Dependencies between the kernel's namespaces go one way, from a layer to the layers below it, as kernel/Layers.txt lists them.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.LayerViolation));

        public static readonly DiagnosticDescriptor TableRule = new DiagnosticDescriptor(
            RuleIdentifiers.LayerViolation,
            title: "The layer table must place every namespace in exactly one declared layer",
            messageFormat: "The layer table is malformed: {0}",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Each line of kernel/Layers.txt is 'layer NAME purpose' or 'namespace NAMESPACE LAYER'; every namespace of the kernel sits in exactly one declared layer.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.LayerViolation),
            customTags: WellKnownDiagnosticTags.CompilationEnd);   // reported once the whole kernel is seen

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, TableRule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (Roles.From(start.Options) != Role.Kernel) return;
                AdditionalText file = start.Options.AdditionalFiles.FirstOrDefault(
                    f => string.Equals(Path.GetFileName(f.Path), LayerTable.FileName, StringComparison.OrdinalIgnoreCase));
                SourceText text = file?.GetText(start.CancellationToken);
                if (text == null) return;   // no table: the kernel has not opted in

                LayerTable table = LayerTable.Parse(text);
                start.RegisterCompilationEndAction(end => CheckTable(end, table, file.Path, start.Compilation));
                start.RegisterSyntaxNodeAction(node => AnalyzeUsing(node, table), SyntaxKind.UsingDirective);
                start.RegisterSyntaxNodeAction(node => AnalyzeName(node, table), SyntaxKind.IdentifierName, SyntaxKind.GenericName);
            });
        }

        // ---- the table ---------------------------------------------------------------------------

        private static void CheckTable(CompilationAnalysisContext context, LayerTable table, string path, Compilation compilation)
        {
            foreach (LayerTable.Problem problem in table.Problems)
                context.ReportDiagnostic(Diagnostic.Create(TableRule, Location.Create(path, problem.Span, problem.Lines), problem.Message));

            foreach (INamespaceSymbol ns in NamespacesWithTypes(compilation.Assembly.GlobalNamespace))
            {
                string name = NameOf(ns);
                if (table.LayerOf(name) != null) continue;
                context.ReportDiagnostic(Diagnostic.Create(TableRule, Location.Create(path, table.EndSpan, table.End),
                    "the kernel's namespace '" + (name.Length == 0 ? LayerTable.GlobalNamespace : name) + "' is in no layer; add a line 'namespace " + (name.Length == 0 ? LayerTable.GlobalNamespace : name) + " LAYER'"));
            }
        }

        /// <summary>The namespaces this compilation declares a type in (source and generated code alike).</summary>
        private static System.Collections.Generic.IEnumerable<INamespaceSymbol> NamespacesWithTypes(INamespaceSymbol ns)
        {
            if (ns.GetTypeMembers().Any(type => type.Locations.Any(location => location.IsInSource))) yield return ns;
            foreach (INamespaceSymbol nested in ns.GetNamespaceMembers().OrderBy(n => n.Name, StringComparer.Ordinal))
                foreach (INamespaceSymbol found in NamespacesWithTypes(nested)) yield return found;
        }

        // ---- uses ----------------------------------------------------------------------------------

        private static void AnalyzeUsing(SyntaxNodeAnalysisContext context, LayerTable table)
        {
            if (TryGetUse(context.SemanticModel, context.Node, context.CancellationToken, out Use use)) Check(context, table, use);
        }

        private static void AnalyzeName(SyntaxNodeAnalysisContext context, LayerTable table)
        {
            if (TryGetUse(context.SemanticModel, context.Node, context.CancellationToken, out Use use)) Check(context, table, use);
        }

        /// <summary>One use of a namespace by another: where, from which, of which, and what was named.</summary>
        public readonly struct Use
        {
            public Use(SyntaxNode node, string from, string to, string what) { Node = node; From = from; To = to; What = what; }
            public SyntaxNode Node { get; }
            /// <summary>The namespace the code is in ("" for the global one).</summary>
            public string From { get; }
            /// <summary>The namespace it uses.</summary>
            public string To { get; }
            /// <summary>What the code names, quoted: a namespace, a type or a member.</summary>
            public string What { get; }
        }

        /// <summary>
        /// The use of another namespace at a using directive, or at a simple name in code (the rule's
        /// view of the dependency graph; the real-tree test draws the graph with it). False if the node
        /// uses nothing outside its own namespace, or is not counted (a second dot of a chain).
        /// </summary>
        public static bool TryGetUse(SemanticModel model, SyntaxNode node, System.Threading.CancellationToken cancellation, out Use use)
        {
            use = default;
            SyntaxNode at;
            ISymbol symbol;
            INamespaceSymbol used;
            if (node is UsingDirectiveSyntax directive)
            {
                if (directive.Name == null) return false;   // `using X = (int, int);`
                symbol = model.GetSymbolInfo(directive.Name, cancellation).Symbol;
                if (symbol == null) return false;           // the compiler reports what does not bind
                used = symbol as INamespaceSymbol ?? symbol.ContainingNamespace;
                at = directive.Name;
            }
            else if (node is SimpleNameSyntax name)
            {
                if (name.FirstAncestorOrSelf<UsingDirectiveSyntax>() != null) return false;   // counted at the directive
                if (IsNamespaceDeclarationName(name)) return false;
                SymbolInfo info = model.GetSymbolInfo(name, cancellation);
                symbol = info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null);
                if (symbol == null) return false;
                if (symbol is IMethodSymbol method && method.MethodKind == MethodKind.Constructor) symbol = method.ContainingType;   // [Attribute]
                used = UsedNamespace(symbol);
                if (used == null) return false;
                if (IsQualifiedBySameNamespace(model, name, used, cancellation)) return false;   // counted at the qualifier
                at = name;
            }
            else return false;

            string from = UsingNamespace(at);
            string to = NameOf(used);
            if (from == to) return false;
            use = new Use(at, from, to, "'" + symbol.ToDisplayString() + "'");
            return true;
        }

        private static void Check(SyntaxNodeAnalysisContext context, LayerTable table, Use use)
        {
            LayerTable.Layer from = table.LayerOf(use.From);
            LayerTable.Layer to = table.LayerOf(use.To);
            if (from == null || to == null) return;   // a namespace in no layer is the table's problem
            if (LayerTable.MayUse(from, to)) return;
            context.ReportDiagnostic(Diagnostic.Create(Rule, use.Node.GetLocation(),
                Display(use.From), from.Name, use.What, Display(use.To), to.Name));
        }

        /// <summary>The namespace a type or member lives in; null for locals, parameters, namespaces.</summary>
        private static INamespaceSymbol UsedNamespace(ISymbol symbol)
        {
            switch (symbol.Kind)
            {
                case SymbolKind.NamedType:
                case SymbolKind.Method:
                case SymbolKind.Field:
                case SymbolKind.Property:
                case SymbolKind.Event:
                    return symbol.ContainingNamespace;
                default:
                    return null;
            }
        }

        /// <summary>
        /// True for `Current` in `Scheduler.Current` or `thread.Id` when what stands left of the dot is a
        /// type, or a value of a type, from the same namespace: the use was counted where that type was
        /// named (or the value obtained), so a chain of dots is one use.
        /// </summary>
        private static bool IsQualifiedBySameNamespace(SemanticModel model, SimpleNameSyntax name, INamespaceSymbol used, System.Threading.CancellationToken cancellation)
        {
            ExpressionSyntax left =
                name.Parent is QualifiedNameSyntax qualified && qualified.Right == name ? qualified.Left
                : name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access.Expression
                : name.Parent is MemberBindingExpressionSyntax binding && binding.Name == name ? ConditionalReceiver(binding)
                : null;
            if (left == null) return false;
            ISymbol leftSymbol = model.GetSymbolInfo(left, cancellation).Symbol;
            if (leftSymbol is INamespaceSymbol) return false;   // Sched.Scheduler: the type is the use
            ITypeSymbol leftType = leftSymbol as ITypeSymbol ?? model.GetTypeInfo(left, cancellation).Type;
            while (leftType is IPointerTypeSymbol pointer) leftType = pointer.PointedAtType;
            return leftType != null && SymbolEqualityComparer.Default.Equals(leftType.ContainingNamespace, used);
        }

        private static ExpressionSyntax ConditionalReceiver(MemberBindingExpressionSyntax binding) =>
            binding.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>()?.Expression;

        /// <summary>
        /// The namespace the code at <paramref name="node"/> is in: the namespace declarations around
        /// it, or, for a using directive above a file's namespace, the namespace the file declares.
        /// </summary>
        private static string UsingNamespace(SyntaxNode node)
        {
            BaseNamespaceDeclarationSyntax declaration = node.FirstAncestorOrSelf<BaseNamespaceDeclarationSyntax>();
            if (declaration == null && node.FirstAncestorOrSelf<UsingDirectiveSyntax>() != null)
                declaration = node.SyntaxTree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax)
                    .OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault();
            string name = "";
            for (; declaration != null; declaration = declaration.Parent as BaseNamespaceDeclarationSyntax)
                name = name.Length == 0 ? declaration.Name.ToString() : declaration.Name + "." + name;
            return name.Replace(" ", "");
        }

        private static bool IsNamespaceDeclarationName(SimpleNameSyntax name)
        {
            SyntaxNode node = name;
            while (node.Parent is QualifiedNameSyntax) node = node.Parent;
            return node.Parent is BaseNamespaceDeclarationSyntax declaration && declaration.Name == node;
        }

        public static string NameOf(INamespaceSymbol ns) => ns.IsGlobalNamespace ? "" : ns.ToDisplayString();

        public static string Display(string ns) => ns.Length == 0 ? LayerTable.GlobalNamespace : ns;
    }
}
