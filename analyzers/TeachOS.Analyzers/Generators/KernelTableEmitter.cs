using System.Collections.Generic;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// Writes Syscalls.SyscallTable: the kernel's dispatch from a syscall number and six registers (all
    /// in the caller's trap frame) to the handler of the same name.
    /// </summary>
    public static class KernelTableEmitter
    {
        /// <summary>One row of the table: a declaration and its handler (null if TOS0006 was reported).</summary>
        public sealed class Entry
        {
            public Entry(SyscallDeclaration syscall, HandlerMethod handler) { Syscall = syscall; Handler = handler; }
            public SyscallDeclaration Syscall { get; }
            public HandlerMethod Handler { get; }
        }

        public static string Emit(string interfaceName, string declarationFile, int declaredCount, List<Entry> entries)
        {
            var code = new CodeWriter();
            code.GeneratedHeader(interfaceName, declarationFile,
                "Do not edit: change the declaration or a handler, and rebuild.",
                "Rules: docs/analyzers/TOS0005.md (declarations), docs/analyzers/TOS0006.md (handlers).");
            code.Open("namespace Syscalls");
            code.Line("/// <summary>")
                .Line("/// The kernel's side of every system call: from a number and six registers to a handler call.")
                .Line("/// Registers (abi/SyscallNumbers.cs): a0 = rdi, a1 = rsi, a2 = rdx, a3 = r10, a4 = r8, a5 = r9.")
                .Line("/// A number arrives as itself (cast to the declared type). A user address arrives wrapped in a")
                .Line("/// UserBuffer, UserString or UserPointer&lt;T&gt;, whose bytes a handler can reach only through")
                .Line("/// Mem.UserMemory, the copy layer that checks every page first (rule TOS0002).")
                .Line("/// </summary>");
            code.Open("public static unsafe partial class SyscallTable");
            code.Line("/// <summary>How many system calls are declared.</summary>")
                .Line("public const int Count = " + declaredCount + ";")
                .Line();
            NameOf(code, entries);
            code.Line();
            Invoke(code, entries);
            code.Close();
            code.Close();
            return code.ToString();
        }

        private static void NameOf(CodeWriter code, List<Entry> entries)
        {
            code.Line("/// <summary>The declared name of syscall <paramref name=\"number\"/> (\"Write\"), or \"?\" if there is none.</summary>");
            code.Open("public static string NameOf(ulong number)");
            code.Open("switch (number)");
            foreach (Entry entry in entries)
                code.Line("case " + entry.Syscall.Number + ": return \"" + entry.Syscall.Name + "\";");
            code.Line("default: return \"?\";");
            code.Close();
            code.Close();
        }

        private static void Invoke(CodeWriter code, List<Entry> entries)
        {
            // Each case reads only the registers its handler takes, straight from the trap frame: a null
            // syscall then loads none, and nothing has to be kept in saved registers across the switch.
            // Each case's call is a method of its own that is never inlined (see Row below), so that
            // every case of the switch is one jump: the switch then needs no stack frame and no saved
            // registers. Inlined into the dispatcher (Syscalls/SyscallDispatcher.cs), its one caller: a
            // call of its own would add a frame of its own to every syscall.
            code.Line("/// <summary>")
                .Line("/// Calls the handler of the syscall whose number is in the frame's RAX, with the argument")
                .Line("/// registers a0..a5 of the same frame; returns its result (a value >= 0 or a negated errno),")
                .Line("/// or -ENOSYS for an unknown number.")
                .Line("/// </summary>");
            code.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
            code.Open("public static long Invoke(global::Arch.X64.TrapFrame* frame)");
            code.Open("switch (frame->Rax)");
            foreach (Entry entry in entries)
            {
                code.Line("case " + entry.Syscall.Number + ": return " + RowName(entry.Syscall) + "(frame);");
            }
            code.Line("default:").Indent().Line("return -global::Abi.Errno.ENOSYS;").Outdent();
            code.Close();
            code.Close();
            foreach (Entry entry in entries)
            {
                code.Line();
                Row(code, entry);
            }
        }

        /// <summary>
        /// One row of the table: the handler's call, with its registers converted, in a method of its own
        /// that the compiler may not inline into <c>Invoke</c>. Why: the compiler gives a method one
        /// prologue for all its paths. A handler inlined into the switch that calls something and then
        /// does more (yield: call the scheduler, then return 0) needs callee-saved registers, and then
        /// every syscall, through every case, paid for saving and restoring six of them (15
        /// instructions). Kept apart, a row that needs a frame pays for its own, and the others none.
        /// </summary>
        private static void Row(CodeWriter code, Entry entry)
        {
            code.Line("// " + entry.Syscall.Number + ": " + entry.Syscall.DisplaySignature());
            code.Line("//   " + RegisterComment(entry.Syscall));
            code.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
            code.Open("private static long " + RowName(entry.Syscall) + "(global::Arch.X64.TrapFrame* frame)");
            if (entry.Handler == null)
                code.Line("return -global::Abi.Errno.ENOSYS;   // no matching handler: see TOS0006");
            else
                code.Line("return " + entry.Handler.ClassCode + "." + entry.Handler.Name + "(" + Arguments(entry.Syscall) + ");");
            code.Close();
        }

        /// <summary>The name of a row's method: "Call3Write" (the number keeps it apart from the table's other members).</summary>
        private static string RowName(SyscallDeclaration syscall) => "Call" + syscall.Number + syscall.Name;

        /// <summary>"descriptor: rdi (a0); data: rsi (a1) address, rdx (a2) length".</summary>
        public static string RegisterComment(SyscallDeclaration syscall)
        {
            if (syscall.Parameters.Length == 0) return "no arguments";
            var parts = new List<string>();
            int register = 0;
            foreach (SyscallParameter parameter in syscall.Parameters)
            {
                string first = Register(register);
                string text = parameter.Registers == 2
                    ? parameter.Name + ": " + first + " address, " + Register(register + 1) + " length"
                    : parameter.Name + ": " + first + Meaning(parameter.Kind);
                parts.Add(text);
                register += parameter.Registers;
            }
            return string.Join("; ", parts);
        }

        private static string Register(int index) =>
            SyscallTableReader.RegisterNames[index] + " (a" + index + ")";

        private static string Meaning(SyscallParameterKind kind)
        {
            switch (kind)
            {
                case SyscallParameterKind.Path: return " address of a NUL-terminated string";
                case SyscallParameterKind.ArgumentVector: return " address of a 0-terminated array of string addresses";
                case SyscallParameterKind.OutValue: return " address the kernel writes to";
                case SyscallParameterKind.RefValue: return " address the kernel reads and writes";
                case SyscallParameterKind.Boolean: return " 1 or 0";
                default: return "";
            }
        }

        /// <summary>Argument register <paramref name="index"/> in the trap frame: frame->Rdi for a0.</summary>
        public static string FrameRegister(int index)
        {
            string name = SyscallTableReader.RegisterNames[index];
            return "frame->" + char.ToUpperInvariant(name[0]) + name.Substring(1);
        }

        /// <summary>The handler call's arguments: each register converted to the handler's type.</summary>
        private static string Arguments(SyscallDeclaration syscall)
        {
            var arguments = new List<string>();
            int register = 0;
            foreach (SyscallParameter parameter in syscall.Parameters)
            {
                string a = FrameRegister(register);
                switch (parameter.Kind)
                {
                    case SyscallParameterKind.Integer:
                        arguments.Add(parameter.Type == "ulong" ? a : "(" + parameter.Type + ")" + a);
                        break;
                    case SyscallParameterKind.Boolean:
                        arguments.Add(a + " != 0");
                        break;
                    case SyscallParameterKind.ReadOnlyBuffer:
                    case SyscallParameterKind.WritableBuffer:
                        arguments.Add("new global::Mem.UserBuffer(" + a + ", " + FrameRegister(register + 1) + ")");
                        break;
                    default:   // string, string[], out T, ref T: one address
                        arguments.Add("new " + HandlerMatcher.KernelTypeCode(parameter) + "(" + a + ")");
                        break;
                }
                register += parameter.Registers;
            }
            return string.Join(", ", arguments);
        }
    }
}
