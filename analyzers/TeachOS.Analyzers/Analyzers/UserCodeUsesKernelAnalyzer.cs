using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// TOS0001 (role user): user code may not use the kernel. A program runs in ring 3 in its own
    /// address space; the kernel's code and data are not even mapped there, so a call into the kernel
    /// could only fault. The only way in is a system call (TeachOS.Sys).
    ///
    /// Three ways user code can reach for the kernel, three checks:
    /// <list type="number">
    /// <item>a name that binds to a symbol of the assembly Kernel (a project reference to the kernel);</item>
    /// <item>a kernel source file compiled into the program (&lt;Compile Include="../../kernel/..."/&gt;);</item>
    /// <item>a using directive or qualified name that starts with a kernel namespace (Sched.Scheduler),
    ///   which, without a reference, is only a confusing "type or namespace not found".</item>
    /// </list>
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UserCodeUsesKernelAnalyzer : DiagnosticAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            RuleIdentifiers.UserCodeUsesKernel,
            title: "User code may not use the kernel",
            messageFormat: "User code may not use the kernel: {0}. A program runs in ring 3, in an address space where the kernel's code and data are not mapped; its only way into the kernel is a system call. Call the TeachOS.Sys method for what you need (one per syscall, listed in abi/Syscalls.cs) instead.",
            category: RuleIdentifiers.Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "User programs and the user library may use TeachOS.Runtime, the user library and abi/, never the kernel's assembly, source files or namespaces.",
            helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UserCodeUsesKernel));

        /// <summary>The kernel's assembly (kernel/TeachOS.Kernel.csproj, AssemblyName Kernel).</summary>
        public const string KernelAssemblyName = "Kernel";

        /// <summary>The kernel's top-level namespaces (kernel/*/): Arch.X64 starts with Arch.</summary>
        public static readonly ImmutableHashSet<string> KernelNamespaces = ImmutableHashSet.Create(
            "Arch", "Sync", "Terminal", "Traps", "Sched", "Mem", "Syscalls", "Fs", "Loader", "Drivers", "Boot", "Time", "Diagnostics", "Tests");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (Roles.From(start.Options) != Role.User) return;
                // ProjectDir is one of the properties the SDK always makes visible to analyzers.
                start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.ProjectDir", out string projectDirectory);

                start.RegisterSyntaxTreeAction(tree => AnalyzeFile(tree, projectDirectory));
                start.RegisterSyntaxNodeAction(AnalyzeUsing, SyntaxKind.UsingDirective);
                start.RegisterSyntaxNodeAction(AnalyzeName, SyntaxKind.IdentifierName, SyntaxKind.GenericName);
            });
        }

        // ---- 2. kernel source files --------------------------------------------------------------

        private static void AnalyzeFile(SyntaxTreeAnalysisContext context, string projectDirectory)
        {
            string path = context.Tree.FilePath;
            if (!IsUnderKernelDirectory(path, projectDirectory)) return;
            // Reported at the file's first token, so a `#pragma warning disable TOS0001` above it works.
            SyntaxToken first = context.Tree.GetRoot(context.CancellationToken).GetFirstToken();
            Location location = first.RawKind != 0 ? first.GetLocation() : Location.Create(context.Tree, new TextSpan(0, 0));
            context.ReportDiagnostic(Diagnostic.Create(Rule, location,
                "this file is kernel source (" + Clean(path) + ") compiled into user code"));
        }

        /// <summary>
        /// True if a directory named "kernel" lies on the way from the project to the file. Only the part
        /// of the path below the directory the file and the project share is looked at, so a checkout
        /// in /home/kernel/teachos does not make every file "kernel source".
        /// </summary>
        public static bool IsUnderKernelDirectory(string filePath, string projectDirectory)
        {
            if (string.IsNullOrEmpty(filePath)) return false;
            string[] file = Split(filePath);
            int start = 0;
            if (!string.IsNullOrEmpty(projectDirectory))
            {
                string[] project = Split(projectDirectory);
                while (start < file.Length - 1 && start < project.Length && file[start] == project[start]) start++;
            }
            for (int i = start; i < file.Length - 1; i++)   // the last part is the file's own name
                if (string.Equals(file[i], "kernel", StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        /// <summary>The parts of a path, with "." and ".." resolved: MSBuild hands over linked files as
        /// "userland/Programs/../../kernel/Boot/CommandLine.cs".</summary>
        private static string[] Split(string path)
        {
            var parts = new System.Collections.Generic.List<string>();
            foreach (string part in path.Replace('\\', '/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == ".") continue;
                if (part == ".." && parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                else parts.Add(part);
            }
            return parts.ToArray();
        }

        /// <summary>The path as a student would write it: forward slashes, no "..".</summary>
        private static string Clean(string path) =>
            (path.StartsWith("/") ? "/" : "") + string.Join("/", Split(path));

        // ---- 3. using directives -----------------------------------------------------------------

        private static void AnalyzeUsing(SyntaxNodeAnalysisContext context)
        {
            var directive = (UsingDirectiveSyntax)context.Node;
            if (directive.Name == null) return;   // `using X = (int, int);` and the like
            string first = LeftmostIdentifier(directive.Name);
            if (first == null || !KernelNamespaces.Contains(first)) return;
            // `using Time;` is fine if the program has its own namespace Time: only complain when the
            // name means the kernel's namespace, or nothing at all (then the compiler's own error,
            // "type or namespace not found", does not say why).
            ISymbol symbol = context.SemanticModel.GetSymbolInfo(directive.Name, context.CancellationToken).Symbol;
            if (symbol != null && !IsKernelSymbol(symbol) && !IsKernelNamespace(symbol)) return;
            context.ReportDiagnostic(Diagnostic.Create(Rule, directive.Name.GetLocation(),
                "'using " + directive.Name + "' names the kernel namespace '" + first + "'"));
        }

        private static string LeftmostIdentifier(NameSyntax name)
        {
            while (true)
            {
                switch (name)
                {
                    case QualifiedNameSyntax qualified: name = qualified.Left; continue;
                    case AliasQualifiedNameSyntax alias: name = alias.Name; continue;   // global::Sched
                    case SimpleNameSyntax simple: return simple.Identifier.ValueText;
                    default: return null;
                }
            }
        }

        // ---- 1 and 3. names in code ----------------------------------------------------------------

        private static void AnalyzeName(SyntaxNodeAnalysisContext context)
        {
            var name = (SimpleNameSyntax)context.Node;
            if (name.FirstAncestorOrSelf<UsingDirectiveSyntax>() != null) return;      // AnalyzeUsing's job
            if (IsNamespaceDeclarationName(name)) return;                               // declares, does not use
            if (IsQualifiedByKernel(context, name)) return;   // Sched.Scheduler.Current: reported once, at Sched

            SymbolInfo info = context.SemanticModel.GetSymbolInfo(name, context.CancellationToken);
            ISymbol symbol = info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null);

            if (symbol != null && !(symbol is INamespaceSymbol) && IsKernelSymbol(symbol))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, name.GetLocation(),
                    "'" + symbol.ToDisplayString() + "' is part of the kernel (assembly " + KernelAssemblyName + ")"));
                return;
            }
            if (IsLeftmostOfQualifiedName(name) && KernelNamespaces.Contains(name.Identifier.ValueText)
                && (symbol == null || IsKernelNamespace(symbol)))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, name.GetLocation(),
                    "'" + name.Identifier.ValueText + "' is a kernel namespace"));
            }
        }

        /// <summary>True for the names in `namespace My.Sched { }`.</summary>
        private static bool IsNamespaceDeclarationName(SimpleNameSyntax name)
        {
            SyntaxNode node = name;
            while (node.Parent is QualifiedNameSyntax) node = node.Parent;
            return node.Parent is BaseNamespaceDeclarationSyntax declaration && declaration.Name == node;
        }

        /// <summary>`Sched` in `Sched.Scheduler` or `Sched.Scheduler.Yield()`: the start of a dotted name.</summary>
        private static bool IsLeftmostOfQualifiedName(SimpleNameSyntax name) =>
            (name.Parent is QualifiedNameSyntax qualified && qualified.Left == name)
            || (name.Parent is MemberAccessExpressionSyntax access && access.Expression == name);

        /// <summary>
        /// True for `Current` in `Scheduler.Current` when `Scheduler` is itself the kernel's (already
        /// reported): one finding per use, not one per dot.
        /// </summary>
        private static bool IsQualifiedByKernel(SyntaxNodeAnalysisContext context, SimpleNameSyntax name)
        {
            ExpressionSyntax left =
                name.Parent is QualifiedNameSyntax qualified && qualified.Right == name ? qualified.Left
                : name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access.Expression
                : null;
            if (left == null) return false;
            ISymbol leftSymbol = context.SemanticModel.GetSymbolInfo(left, context.CancellationToken).Symbol;
            if (leftSymbol == null && left is SimpleNameSyntax simpleLeft && KernelNamespaces.Contains(simpleLeft.Identifier.ValueText))
                return true;
            if (leftSymbol != null && (IsKernelSymbol(leftSymbol) || IsKernelNamespace(leftSymbol))) return true;
            ITypeSymbol leftType = context.SemanticModel.GetTypeInfo(left, context.CancellationToken).Type;
            return leftType != null && IsKernelSymbol(leftType);
        }

        private static bool IsKernelSymbol(ISymbol symbol) =>
            symbol.ContainingAssembly?.Name == KernelAssemblyName;

        /// <summary>
        /// A namespace the kernel assembly contributes to. A namespace seen from a compilation merges
        /// every assembly's part of it; ConstituentNamespaces lists those parts, each with its assembly.
        /// (A program's own namespace that happens to be called Time is not the kernel's.)
        /// </summary>
        private static bool IsKernelNamespace(ISymbol symbol)
        {
            if (!(symbol is INamespaceSymbol ns) || ns.IsGlobalNamespace) return false;
            foreach (INamespaceSymbol part in ns.ConstituentNamespaces)
                if (part.ContainingAssembly?.Name == KernelAssemblyName) return true;
            return ns.ContainingAssembly?.Name == KernelAssemblyName;
        }
    }
}
