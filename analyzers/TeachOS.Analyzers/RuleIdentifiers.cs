namespace TeachOS.Analyzers
{
    /// <summary>
    /// The id of every TeachOS rule, in one place. Each rule has a page in docs/analyzers/ named after
    /// its id, and a line in AnalyzerReleases.Unshipped.md (or Shipped.md, once released).
    /// </summary>
    public static class RuleIdentifiers
    {
        /// <summary>User code may not use the kernel (role user).</summary>
        public const string UserCodeUsesKernel = "TOS0001";

        /// <summary>Kernel code may not dereference a user pointer (role kernel).</summary>
        public const string UserPointerDereference = "TOS0002";

        /// <summary>Privileged operations only in architecture code (role kernel).</summary>
        public const string PrivilegedOutsideArch = "TOS0003";

        /// <summary>Interrupt context may not allocate or block (role kernel).</summary>
        public const string InterruptContextAllocatesOrBlocks = "TOS0004";

        /// <summary>Syscall declarations must fit the calling convention (any role).</summary>
        public const string SyscallDeclaration = "TOS0005";

        /// <summary>Every declared syscall needs a matching handler (role kernel; the generator reports it).</summary>
        public const string SyscallHandler = "TOS0006";

        /// <summary>Free only what this code owns: no constant, static readonly field or shared result (any role).</summary>
        public const string FreeOfMemoryNotOwned = "TOS0007";

        /// <summary>A namespace may use only its own layer and those below it (role kernel, kernel/Layers.txt).</summary>
        public const string LayerViolation = "TOS0008";

        /// <summary>The diagnostic category every rule shares.</summary>
        public const string Category = "TeachOS.Boundary";

        /// <summary>Where a rule's page lives, relative to the repository root.</summary>
        public static string HelpLink(string id) => "docs/analyzers/" + id + ".md";
    }
}
