using System.Collections.Generic;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// Writes SyscallNumbers: one constant per declared syscall, in the declaring interface's namespace,
    /// for both the kernel and the user library. Code that must name a number directly (a test that
    /// passes deliberately bad registers through Sys.Call, a trace printing "syscall 3") uses these,
    /// so the [Syscall(n)] attribute stays the only place a number is written.
    /// </summary>
    public static class NumbersEmitter
    {
        public static string Emit(string interfaceName, string declarationFile, List<SyscallDeclaration> declared)
        {
            int dot = interfaceName.LastIndexOf('.');
            string ns = dot < 0 ? null : interfaceName.Substring(0, dot);

            var code = new CodeWriter();
            code.GeneratedHeader(interfaceName, declarationFile, "Do not edit: change the [Syscall(n)] there, and rebuild.");
            if (ns != null) code.Open("namespace " + ns);
            code.Open("public static partial class SyscallNumbers");
            var seen = new HashSet<string>();
            foreach (SyscallDeclaration syscall in declared)
                if (syscall.Number >= 0 && seen.Add(syscall.Name))
                    code.Line("public const int " + syscall.Name + " = " + syscall.Number + ";");
            code.Close();
            if (ns != null) code.Close();
            return code.ToString();
        }
    }
}
