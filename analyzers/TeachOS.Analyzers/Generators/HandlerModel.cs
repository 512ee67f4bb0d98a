using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace TeachOS.Analyzers
{
    /// <summary>One method of a [SyscallHandlers] class, as the generator compares it with a declaration.</summary>
    /// <param name="ClassCode">The class as code: "global::Syscalls.FileSyscalls".</param>
    /// <param name="ClassName">The class as a student reads it: "FileSyscalls".</param>
    /// <param name="ReturnType">As code ("long").</param>
    /// <param name="ParameterTypes">As code, with "ref "/"out "/"in " in front if passed by reference.</param>
    /// <param name="Display">"static long FileSyscalls.Write(int descriptor, UserBuffer data)".</param>
    public sealed record HandlerMethod(
        string ClassCode,
        string ClassName,
        string Name,
        bool IsStatic,
        bool IsAccessible,
        string ReturnType,
        EquatableArray<string> ParameterTypes,
        string Display,
        LocationInfo Location);

    /// <summary>The methods of one [SyscallHandlers] class.</summary>
    public sealed record HandlerClass(string Name, EquatableArray<HandlerMethod> Methods)
    {
        private static readonly SymbolDisplayFormat CodeFormat = SymbolDisplayFormat.FullyQualifiedFormat;
        private static readonly SymbolDisplayFormat ShortFormat = SymbolDisplayFormat.MinimallyQualifiedFormat;

        public static HandlerClass Read(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var methods = new List<HandlerMethod>();
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is IMethodSymbol method && method.MethodKind == MethodKind.Ordinary)
                    methods.Add(ReadMethod(type, method));
            }
            return new HandlerClass(type.Name, new EquatableArray<HandlerMethod>(methods.ToArray()));
        }

        private static HandlerMethod ReadMethod(INamedTypeSymbol type, IMethodSymbol method)
        {
            var parameterTypes = new string[method.Parameters.Length];
            for (int i = 0; i < parameterTypes.Length; i++)
                parameterTypes[i] = RefPrefix(method.Parameters[i].RefKind) + method.Parameters[i].Type.ToDisplayString(CodeFormat);

            // The generated SyscallTable is another class: it can call public and internal methods only.
            bool accessible = method.DeclaredAccessibility == Accessibility.Public
                || method.DeclaredAccessibility == Accessibility.Internal
                || method.DeclaredAccessibility == Accessibility.ProtectedOrInternal;

            return new HandlerMethod(
                type.ToDisplayString(CodeFormat),
                type.Name,
                method.Name,
                method.IsStatic,
                accessible,
                method.ReturnType.ToDisplayString(CodeFormat),
                new EquatableArray<string>(parameterTypes),
                Describe(type, method),
                LocationInfo.From(method.Locations.Length > 0 ? method.Locations[0] : null));
        }

        private static string RefPrefix(RefKind kind) =>
            kind == RefKind.Ref ? "ref " : kind == RefKind.Out ? "out " : kind == RefKind.In ? "in " : "";

        private static string Describe(INamedTypeSymbol type, IMethodSymbol method)
        {
            var text = new System.Text.StringBuilder();
            text.Append(method.DeclaredAccessibility.ToString().ToLowerInvariant()).Append(' ');
            if (method.IsStatic) text.Append("static ");
            text.Append(method.ReturnType.ToDisplayString(ShortFormat)).Append(' ')
                .Append(type.Name).Append('.').Append(method.Name).Append('(');
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                IParameterSymbol parameter = method.Parameters[i];
                if (i > 0) text.Append(", ");
                text.Append(RefPrefix(parameter.RefKind)).Append(parameter.Type.ToDisplayString(ShortFormat)).Append(' ').Append(parameter.Name);
            }
            return text.Append(')').ToString();
        }
    }
}
