using System;
using TeachOS.Boundary;

namespace Abi
{
    /// <summary>A program's environment (120): execve. Part of the one table in abi/Syscalls.cs.</summary>
    public partial interface ISyscalls
    {
        // ---- The environment (120-124; kernel/Loader/ProgramLoader.cs, userland/Lib/Environment.cs). ----

        /// <summary>
        /// execve: as exec (41), and the new program's environment is <paramref name="environment"/>, "NAME=value"
        /// strings put on its stack after argv, as the System V ABI lays out envp (TeachOS.Environment reads them).
        /// exec and spawn give a program none: TeachOS keeps no environment of its own per process, so a
        /// variable lasts exactly as far as a caller of execve passes it on. ctr starts a container's first
        /// process with its image's Env this way. -E2BIG past ProgramLoader.MaximumEnvironment (32) strings or
        /// when they and the arguments outgrow the stack's top page; exec's errors otherwise.
        /// </summary>
        [Syscall(120)] long ExecWithEnvironment(string path, string[] arguments, string[] environment);
    }
}
