using System.Diagnostics;
using TeachOS.Analyzers;
using Xunit;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>
    /// The rules in a real `dotnet build`, not only in the testing library: the SDK's compiler must
    /// load the analyzer (it refuses one built against a newer Roslyn: CS9057), TeachOSRole must reach
    /// it through build/TeachOS.Analyzers.props, and an error must fail the build.
    /// </summary>
    public class RealBuildTests
    {
        private const string Source = @"
namespace TeachOS.Boundary
{
    [System.AttributeUsage(System.AttributeTargets.Method)]
    public sealed class PrivilegedAttribute : System.Attribute { }
}
namespace Arch.X64
{
    public static class Cpu { [TeachOS.Boundary.Privileged] public static void Halt() { } }
}
namespace Sched
{
    public static class Scheduler { public static void Idle() => Arch.X64.Cpu.Halt(); }
}
";

        [Fact]
        public void AKernelProjectThatBreaksTOS0003FailsToBuild()
        {
            (int exitCode, string output) = BuildProbe(reportOnly: false);

            Assert.True(exitCode != 0, "the build should fail:\n" + output);
            Assert.Contains("error TOS0003: 'Cpu.Halt' is [Privileged]", output);
            Assert.Contains("but 'Scheduler.Idle' is in namespace Sched", output);
            Assert.Contains("(docs/analyzers/TOS0003.md)", output);   // the help link, printed by the compiler
            Assert.DoesNotContain("CS9057", output);                   // the analyzer was loaded, not skipped
        }

        [Fact]
        public void ReportOnlyTurnsTheFindingIntoAWarningThatDoesNotFailTheBuild()
        {
            (int exitCode, string output) = BuildProbe(reportOnly: true);

            Assert.True(exitCode == 0, "the build should pass:\n" + output);
            Assert.Contains("warning TOS0003: 'Cpu.Halt' is [Privileged]", output);
        }

        /// <summary>A kernel whose memory layer calls the scheduler, one layer up.</summary>
        private const string LayeredSource = @"
namespace Sched { public static class Scheduler { public static void Yield() { } } }
namespace Mem { public static class Stacks { public static void Free() => Sched.Scheduler.Yield(); } }
";

        private const string LayerTable = "layer Runtime base\nlayer Mem memory\nlayer Sched threads\nnamespace System Runtime\nnamespace Mem Mem\nnamespace Sched Sched\n";

        [Fact]
        public void TheProjectsLayersTxtReachesTOS0008AndTeachOSEnforceLayersFalseSwitchesItOff()
        {
            (int exitCode, string output) = BuildProbe(reportOnly: false, LayeredSource, LayerTable, enforceLayers: null);
            Assert.True(exitCode != 0, "the build should fail:\n" + output);
            Assert.Contains("error TOS0008: Namespace Mem (layer Mem) may not use 'Sched.Scheduler' (namespace Sched, layer Sched)", output);

            (exitCode, output) = BuildProbe(reportOnly: false, LayeredSource, LayerTable, enforceLayers: "false");
            Assert.True(exitCode == 0, "the build should pass:\n" + output);
            Assert.DoesNotContain("TOS0008", output);
        }

        /// <summary>Builds a throwaway kernel-role project (TreatWarningsAsErrors, as BareMetal.props has it).</summary>
        private static (int, string) BuildProbe(bool reportOnly, string source = Source, string layers = null, string enforceLayers = null)
        {
            string directory = Path.Combine(Path.GetTempPath(), "teachos-analyzers-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                string props = Repository.PathOf("analyzers/TeachOS.Analyzers/build/TeachOS.Analyzers.props");
                string analyzer = typeof(SyscallGenerator).Assembly.Location;
                File.WriteAllText(Path.Combine(directory, "Probe.csproj"), $"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <PropertyGroup>
                        <TargetFramework>net10.0</TargetFramework>
                        <ImplicitUsings>disable</ImplicitUsings>
                        <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                        <TeachOSRole>kernel</TeachOSRole>
                        <TeachOSAnalyzersReportOnly>{(reportOnly ? "true" : "false")}</TeachOSAnalyzersReportOnly>
                        {(enforceLayers == null ? "" : "<TeachOSEnforceLayers>" + enforceLayers + "</TeachOSEnforceLayers>")}
                      </PropertyGroup>
                      <Import Project="{props}" />
                      <ItemGroup>
                        <Analyzer Include="{analyzer}" />
                      </ItemGroup>
                    </Project>
                    """);
                File.WriteAllText(Path.Combine(directory, "Probe.cs"), source);
                if (layers != null) File.WriteAllText(Path.Combine(directory, "Layers.txt"), layers);
                return Build(directory);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        private static (int, string) Build(string directory)
        {
            // The SDK tells child processes which dotnet it runs on.
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // No build servers: nothing may keep running after the test.
            foreach (string argument in new[] { "build", "-nologo", "-v:q", "--disable-build-servers", "-p:UseSharedCompilation=false" })
                start.ArgumentList.Add(argument);
            // The test runs inside `dotnet test`, whose MSBuild settings would leak into the child build.
            foreach (string name in Environment.GetEnvironmentVariables().Keys.Cast<string>().ToList())
                if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)) start.Environment.Remove(name);

            using Process build = Process.Start(start);
            Task<string> output = build.StandardOutput.ReadToEndAsync();
            Task<string> error = build.StandardError.ReadToEndAsync();
            if (!build.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                build.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet build took more than 5 minutes");
            }
            return (build.ExitCode, output.Result + error.Result);
        }
    }
}
