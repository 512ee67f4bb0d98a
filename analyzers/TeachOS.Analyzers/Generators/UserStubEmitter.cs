using System.Collections.Generic;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// Writes the user library's stubs: TeachOS.Sys gets one public static method per declared syscall,
    /// with the declared name and signature. A stub turns each argument into register values and calls
    /// the hand-written Sys.Enter (userland/Lib/Sys.cs), which executes `syscall` (or `int 0x80`).
    /// </summary>
    public static class UserStubEmitter
    {
        public const int PathCapacity = 256;          // bytes for one path, NUL included
        public const int MaximumArguments = 32;       // argv entries, plus the terminating 0
        public const int ArgumentRoom = 4096;         // bytes for all argument strings together

        public static string Emit(string interfaceName, string declarationFile, List<SyscallDeclaration> syscalls)
        {
            var code = new CodeWriter();
            code.GeneratedHeader(interfaceName, declarationFile,
                "Do not edit: change the declaration and rebuild. The hand-written half of Sys",
                "(Enter, Call, ToAscii, ErrorName) is userland/Lib/Sys.cs.");
            code.Open("namespace TeachOS");
            code.Line("// One stub per system call. Each puts the syscall number and its arguments in registers")
                .Line("// (rdi, rsi, rdx, r10, r8, r9: abi/SyscallNumbers.cs) and calls Sys.Enter. A number goes as")
                .Line("// itself; a span as its address and length; a string as the address of a NUL-terminated")
                .Line("// ASCII copy on the stack; an out/ref variable as the address of a local copy.");
            code.Open("public static unsafe partial class Sys");
            for (int i = 0; i < syscalls.Count; i++)
            {
                if (i > 0) code.Line();
                Stub(code, syscalls[i]);
            }
            code.Close();
            code.Close();
            return code.ToString();
        }

        private static void Stub(CodeWriter code, SyscallDeclaration syscall)
        {
            code.Line("// syscall " + syscall.Number + ": " + KernelTableEmitter.RegisterComment(syscall));
            foreach (string line in syscall.Documentation) code.Line(line);

            var prelude = new List<string>();
            var fixedLines = new List<string>();
            var registers = new List<string>();
            var after = new List<string>();
            foreach (SyscallParameter parameter in syscall.Parameters)
                Convert(parameter, prelude, fixedLines, registers, after);
            // A string or argv may return early (null, too long): an out parameter must be set first.
            bool returnsEarly = false;
            var outNames = new List<string>();
            foreach (SyscallParameter parameter in syscall.Parameters)
            {
                if (parameter.Kind == SyscallParameterKind.Path || parameter.Kind == SyscallParameterKind.ArgumentVector) returnsEarly = true;
                if (parameter.Kind == SyscallParameterKind.OutValue) outNames.Add(parameter.Name + " = default;");
            }
            if (returnsEarly) prelude.InsertRange(0, outNames);

            string call = "Enter(" + syscall.Number + (registers.Count > 0 ? ", " + string.Join(", ", registers) : "") + ")";
            string signature = "public static " + syscall.ReturnType + " " + syscall.Name + "(" + Parameters(syscall) + ")";
            string cast = syscall.ReturnType == "int" ? "(int)" : "";

            if (prelude.Count == 0 && fixedLines.Count == 0 && after.Count == 0)
            {
                code.Line(signature + " => " + cast + call + ";");
                return;
            }
            code.Open(signature);
            foreach (string line in prelude) code.Line(line);
            foreach (string line in fixedLines) code.Line(line);
            if (fixedLines.Count > 0) code.Open();
            if (after.Count == 0)
            {
                code.Line("return " + cast + call + ";");
            }
            else
            {
                code.Line("long result = " + call + ";");
                foreach (string line in after) code.Line(line);
                code.Line("return " + cast + "result;");
            }
            if (fixedLines.Count > 0) code.Close();
            code.Close();
        }

        private static string Parameters(SyscallDeclaration syscall)
        {
            var parts = new List<string>();
            foreach (SyscallParameter parameter in syscall.Parameters)
            {
                string prefix = parameter.Kind == SyscallParameterKind.OutValue ? "out "
                    : parameter.Kind == SyscallParameterKind.RefValue ? "ref " : "";
                parts.Add(prefix + parameter.Type + " " + parameter.Name);
            }
            return string.Join(", ", parts);
        }

        /// <summary>The statements and register values that carry one parameter across.</summary>
        private static void Convert(SyscallParameter parameter, List<string> prelude, List<string> fixedLines,
            List<string> registers, List<string> after)
        {
            string name = parameter.Name;
            switch (parameter.Kind)
            {
                case SyscallParameterKind.Integer:
                    // int and long sign-extend to 64 bits, uint zero-extends: the kernel casts back.
                    registers.Add(parameter.Type == "ulong" ? name : "(ulong)" + name);
                    break;
                case SyscallParameterKind.Boolean:
                    registers.Add("(" + name + " ? 1UL : 0UL)");
                    break;
                case SyscallParameterKind.ReadOnlyBuffer:
                case SyscallParameterKind.WritableBuffer:
                    // `fixed` pins the span's memory and gives its address for the duration of the call.
                    fixedLines.Add("fixed (byte* " + name + "Address = " + name + ")");
                    registers.Add("(ulong)" + name + "Address");
                    registers.Add("(ulong)" + name + ".Length");
                    break;
                case SyscallParameterKind.Path:
                    Path(name, prelude);
                    registers.Add("(ulong)" + name + "Text");
                    break;
                case SyscallParameterKind.ArgumentVector:
                    ArgumentVector(name, prelude);
                    registers.Add("(ulong)" + name + "Vector");
                    break;
                case SyscallParameterKind.OutValue:
                case SyscallParameterKind.RefValue:
                    // The kernel writes to a local on our stack; the caller's variable gets its value after.
                    bool isOut = parameter.Kind == SyscallParameterKind.OutValue;
                    prelude.Add(parameter.Type + " " + name + "Value = " + (isOut ? "default" : name) + ";");
                    registers.Add("(ulong)&" + name + "Value");
                    after.Add(name + " = " + name + "Value;");
                    break;
            }
        }

        // A string becomes NUL-terminated ASCII in a stack buffer: the kernel reads bytes, not .NET chars.
        private static void Path(string name, List<string> prelude)
        {
            prelude.Add("if (" + name + " == null) return -global::Abi.Errno.EFAULT;");
            prelude.Add("byte* " + name + "Text = stackalloc byte[" + PathCapacity + "];");
            prelude.Add("if (!ToAscii(" + name + ", " + name + "Text, " + PathCapacity + ")) return -global::Abi.Errno.ENAMETOOLONG;");
        }

        // A string[] becomes argv: up to 32 string addresses and a 0, the strings packed in one stack buffer.
        private static void ArgumentVector(string name, List<string> prelude)
        {
            string strings = name + "Strings", vector = name + "Vector", used = name + "Used", index = name + "Index", item = name + "Item";
            prelude.Add("if (" + name + " == null) return -global::Abi.Errno.EFAULT;");
            prelude.Add("if (" + name + ".Length > " + MaximumArguments + ") return -global::Abi.Errno.E2BIG;");
            prelude.Add("byte* " + strings + " = stackalloc byte[" + ArgumentRoom + "];");
            prelude.Add("ulong* " + vector + " = stackalloc ulong[" + (MaximumArguments + 1) + "];");
            prelude.Add("int " + used + " = 0;");
            prelude.Add("for (int " + index + " = 0; " + index + " < " + name + ".Length; " + index + "++)");
            prelude.Add("{");
            prelude.Add("    string " + item + " = " + name + "[" + index + "];");
            prelude.Add("    if (" + item + " == null) return -global::Abi.Errno.EFAULT;");
            prelude.Add("    if (!ToAscii(" + item + ", " + strings + " + " + used + ", " + ArgumentRoom + " - " + used + ")) return -global::Abi.Errno.E2BIG;");
            prelude.Add("    " + vector + "[" + index + "] = (ulong)(" + strings + " + " + used + ");");
            prelude.Add("    " + used + " += " + item + ".Length + 1;");
            prelude.Add("}");
            prelude.Add(vector + "[" + name + ".Length] = 0;");
        }
    }
}
