using System.Collections.Generic;
using System.Text;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// Finds the kernel handler of a declared syscall and checks its signature: the mapping from the
    /// user-facing declaration to what the kernel receives.
    /// <code>
    ///   declared (abi/Syscalls.cs)            handler parameter (kernel)   registers
    ///   int, uint, long, ulong, bool          the same type                 1
    ///   ReadOnlySpan&lt;byte&gt;, Span&lt;byte&gt;        UserBuffer                    2 (address, length)
    ///   string                                UserString                    1
    ///   string[]                              UserPointer&lt;ulong&gt;            1 (the argv array)
    ///   out T, ref T                          UserPointer&lt;T&gt;                1
    ///   returns long or int                   returns long or int
    /// </code>
    /// </summary>
    public static class HandlerMatcher
    {
        /// <summary>The outcome for one syscall: a handler to call, or a problem (TOS0006).</summary>
        public sealed class Match
        {
            public HandlerMethod Handler { get; set; }
            public string Problem { get; set; }
            public LocationInfo ProblemLocation { get; set; }
        }

        public static Match Find(SyscallDeclaration syscall, IReadOnlyList<HandlerMethod> handlers)
        {
            var named = new List<HandlerMethod>();
            var matching = new List<HandlerMethod>();
            foreach (HandlerMethod handler in handlers)
            {
                if (handler.Name != syscall.Name) continue;
                named.Add(handler);
                if (Matches(syscall, handler)) matching.Add(handler);
            }

            if (matching.Count == 1) return new Match { Handler = matching[0] };
            if (matching.Count > 1)
                return new Match
                {
                    Problem = "has more than one handler ('" + List(matching) + "'); the dispatch table can call only one, so rename or remove the others",
                    ProblemLocation = matching[1].Location ?? syscall.Location,
                };
            if (named.Count == 0)
                return new Match
                {
                    Problem = "has no handler: no [SyscallHandlers] class has a static method named '" + syscall.Name + "'",
                    ProblemLocation = syscall.Location,
                };
            return new Match
            {
                Problem = "has a handler whose signature does not match: found '" + List(named) + "'",
                ProblemLocation = named.Count == 1 && named[0].Location != null ? named[0].Location : syscall.Location,
            };
        }

        private static bool Matches(SyscallDeclaration syscall, HandlerMethod handler)
        {
            if (!handler.IsStatic || !handler.IsAccessible) return false;
            if (handler.ReturnType != "long" && handler.ReturnType != "int") return false;
            if (handler.ParameterTypes.Length != syscall.Parameters.Length) return false;
            for (int i = 0; i < syscall.Parameters.Length; i++)
                if (handler.ParameterTypes[i] != KernelTypeCode(syscall.Parameters[i])) return false;
            return true;
        }

        private static string List(List<HandlerMethod> handlers)
        {
            var text = new StringBuilder();
            foreach (HandlerMethod handler in handlers)
            {
                if (text.Length > 0) text.Append("', '");
                text.Append(handler.Display);
            }
            return text.ToString();
        }

        /// <summary>The handler's parameter type for a declared parameter, as code.</summary>
        public static string KernelTypeCode(SyscallParameter parameter)
        {
            switch (parameter.Kind)
            {
                case SyscallParameterKind.ReadOnlyBuffer:
                case SyscallParameterKind.WritableBuffer: return "global::Mem.UserBuffer";
                case SyscallParameterKind.Path: return "global::Mem.UserString";
                case SyscallParameterKind.ArgumentVector: return "global::Mem.UserPointer<ulong>";
                case SyscallParameterKind.OutValue:
                case SyscallParameterKind.RefValue: return "global::Mem.UserPointer<" + parameter.Type + ">";
                default: return parameter.Type;   // int, uint, long, ulong, bool
            }
        }

        /// <summary>The handler's parameter type for a declared parameter, as a student writes it.</summary>
        public static string KernelTypeDisplay(SyscallParameter parameter)
        {
            switch (parameter.Kind)
            {
                case SyscallParameterKind.ReadOnlyBuffer:
                case SyscallParameterKind.WritableBuffer: return "UserBuffer";
                case SyscallParameterKind.Path: return "UserString";
                case SyscallParameterKind.ArgumentVector: return "UserPointer<ulong>";
                case SyscallParameterKind.OutValue: return "UserPointer<" + parameter.DisplayType.Substring("out ".Length) + ">";
                case SyscallParameterKind.RefValue: return "UserPointer<" + parameter.DisplayType.Substring("ref ".Length) + ">";
                default: return parameter.DisplayType;
            }
        }

        /// <summary>"public static long Write(int descriptor, UserBuffer data)": what the handler should be.</summary>
        public static string ExpectedSignature(SyscallDeclaration syscall)
        {
            var text = new StringBuilder("public static long ").Append(syscall.Name).Append('(');
            for (int i = 0; i < syscall.Parameters.Length; i++)
            {
                if (i > 0) text.Append(", ");
                text.Append(KernelTypeDisplay(syscall.Parameters[i])).Append(' ').Append(syscall.Parameters[i].Name);
            }
            return text.Append(')').ToString();
        }
    }
}
