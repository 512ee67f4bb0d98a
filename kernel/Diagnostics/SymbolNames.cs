using System;
using Terminal;

namespace Diagnostics
{
    /// <summary>
    /// Turns ilc's symbol names back into C# spelling, for reports: a method is named
    /// Assembly_Namespace_Type__Method (hello_Hello__Main becomes Hello.Main); other names
    /// (assembly routines such as cpu_halt) are left as they are.
    /// </summary>
    public static class SymbolNames
    {
        public static void WriteReadable(string name) => WriteReadable(name.AsSpan());

        public static void WriteReadable(ReadOnlySpan<char> name)
        {
            int methodStart = -1;
            for (int i = 0; i + 1 < name.Length; i++)
                if (name[i] == '_' && name[i + 1] == '_') { methodStart = i; break; }
            if (methodStart <= 0)       // no "__", or a name that begins with it (__managed__Main)
            {
                Console.Write(name);
                return;
            }
            // Drop the assembly name: everything up to the first '_' (user programs' assemblies have
            // no '_' in their names; the base library's is TeachOS_Runtime).
            int start = StartsWith(name, "TeachOS_Runtime_") ? 16 : IndexOf(name, '_') + 1;
            if (start > methodStart) start = 0;
            for (int i = start; i < methodStart; i++) Console.Write(name[i] == '_' ? '.' : name[i]);
            Console.Write('.');
            for (int i = methodStart + 2; i < name.Length; i++) Console.Write(name[i]);   // no Substring: nothing to free
        }

        private static bool StartsWith(ReadOnlySpan<char> text, string prefix) =>
            text.Length >= prefix.Length && text.Slice(0, prefix.Length).SequenceEqual(prefix);

        private static int IndexOf(ReadOnlySpan<char> text, char value)
        {
            for (int i = 0; i < text.Length; i++)
                if (text[i] == value) return i;
            return -1;
        }
    }
}
