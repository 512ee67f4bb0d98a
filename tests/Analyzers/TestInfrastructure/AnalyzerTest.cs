using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>
    /// An analyzer test as the TeachOS build runs it: compiled against the real TeachOS.Runtime (no
    /// .NET framework: NoStdLib), unsafe code allowed, and TeachOSRole set the way MSBuild sets it
    /// (a global analyzer config with build_property.TeachOSRole).
    ///
    /// Sources use the testing library's markup: {|#0:code|} marks a location that an expected
    /// diagnostic refers to with .WithLocation(0). The library fails the test if the analyzer reports
    /// anything other than the expected diagnostics, or any compiler error appears.
    /// </summary>
    public sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        /// <summary>
        /// Reference assemblies with no NuGet package behind them: the testing library would otherwise
        /// download .NET Standard's reference assemblies at run time. The only framework is the
        /// in-memory TeachOS.Runtime added below.
        /// </summary>
        private static readonly ReferenceAssemblies NoPackages = new("net10.0");

        public AnalyzerTest(string role, string source, params DiagnosticResult[] expected)
        {
            ReferenceAssemblies = NoPackages;
            TestState.AdditionalReferences.Add(TeachOSRuntime.Reference);
            if (source != null) TestCode = source;
            SetGlobalOptions(role);
            ExpectedDiagnostics.AddRange(expected);
        }

        public void SetGlobalOptions(string role, string projectDirectory = null)
        {
            TestState.AnalyzerConfigFiles.Clear();
            string config = "is_global = true\n";
            if (role != null) config += "build_property.TeachOSRole = " + role + "\n";
            if (projectDirectory != null) config += "build_property.ProjectDir = " + projectDirectory + "\n";
            TestState.AnalyzerConfigFiles.Add(("/.globalconfig", config));
        }

        protected override CompilationOptions CreateCompilationOptions() => TeachOSRuntime.CompilationOptions;

        protected override ParseOptions CreateParseOptions() => TeachOSRuntime.ParseOptions;

        /// <summary>Runs the analyzer and checks its diagnostics.</summary>
        public static Task Run(string role, string source, params DiagnosticResult[] expected) =>
            new AnalyzerTest<TAnalyzer>(role, source, expected).RunAsync();
    }

    /// <summary>Shorthands for expected diagnostics.</summary>
    public static class Expect
    {
        /// <summary>The diagnostic <paramref name="rule"/> at markup location <paramref name="location"/>, with these message arguments.</summary>
        public static DiagnosticResult At(DiagnosticDescriptor rule, int location, params object[] arguments) =>
            new DiagnosticResult(rule).WithLocation(location).WithArguments(arguments);
    }
}
