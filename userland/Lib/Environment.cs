namespace TeachOS
{
    /// <summary>
    /// The program's environment: the "NAME=value" strings its starter passed to execve (abi/Syscalls.Environment.cs),
    /// which the kernel left on the stack after argv (envp). Read where they lie, never copied: they are the
    /// program's for its whole life. Empty for a program started by exec or spawn.
    /// </summary>
    public static unsafe class Environment
    {
        /// <summary>envp: a null-terminated array of C strings (set by Startup.cs before Main).</summary>
        internal static byte** Variables;

        /// <summary>How many variables there are.</summary>
        public static int Count
        {
            get
            {
                int count = 0;
                while (Variables != null && Variables[count] != null) count++;
                return count;
            }
        }

        /// <summary>The <paramref name="index"/>-th "NAME=value" string.</summary>
        public static string At(int index) => string.FromAscii(Variables[index]);

        /// <summary>The value of <paramref name="name"/>, or null when it is not set.</summary>
        public static string Get(string name)
        {
            for (int i = 0; i < Count; i++)
            {
                string variable = At(i);
                if (variable.Length > name.Length && variable[name.Length] == '=' && variable.StartsWith(name))
                    return variable.Substring(name.Length + 1);
            }
            return null;
        }
    }
}
