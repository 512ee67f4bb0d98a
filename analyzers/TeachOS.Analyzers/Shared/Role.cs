using Microsoft.CodeAnalysis.Diagnostics;

namespace TeachOS.Analyzers
{
    /// <summary>Which side of the boundary a compilation is on: the MSBuild property TeachOSRole.</summary>
    public enum Role
    {
        /// <summary>TeachOSRole is not set (or has a value we do not know): only role-free rules run.</summary>
        Unknown,
        /// <summary>kernel/: ring 0.</summary>
        Kernel,
        /// <summary>userland/: the user library and the programs, ring 3.</summary>
        User,
        /// <summary>runtime/: the base library both sides compile against.</summary>
        Runtime,
    }

    /// <summary>Reads <see cref="Role"/> from the options MSBuild hands to the compiler.</summary>
    public static class Roles
    {
        /// <summary>
        /// MSBuild properties are invisible to analyzers unless a project lists them as
        /// &lt;CompilerVisibleProperty Include="TeachOSRole" /&gt; (build/TeachOS.Analyzers.props does).
        /// The SDK then writes them into a generated .editorconfig as "build_property.NAME = value",
        /// which the compiler hands to analyzers as global options.
        /// </summary>
        public const string OptionKey = "build_property.TeachOSRole";

        public static Role From(AnalyzerConfigOptions globalOptions)
        {
            if (!globalOptions.TryGetValue(OptionKey, out string value) || value == null) return Role.Unknown;
            switch (value.Trim().ToLowerInvariant())
            {
                case "kernel": return Role.Kernel;
                case "user": return Role.User;
                case "runtime": return Role.Runtime;
                default: return Role.Unknown;
            }
        }

        public static Role From(AnalyzerOptions options) =>
            From(options.AnalyzerConfigOptionsProvider.GlobalOptions);
    }
}
