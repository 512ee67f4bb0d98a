using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;

namespace TeachOS
{
    /// <summary>
    /// The C# side of program start-up (Native/Start.asm calls <see cref="Start"/>): prepare the base
    /// library, note where the environment is (Environment.cs), run Main, pass its result to exit. A program never returns to anyone.
    /// </summary>
    public static unsafe class Startup
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "user_modules_start")]
        private static extern nint* ModulesStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "user_modules_end")]
        private static extern nint* ModulesEnd();

        /// <summary>ilc generates this for the program's Main(string[]): it builds args from argv and calls Main.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "__managed__Main")]
        private static extern int ManagedMain(int argc, sbyte** argv);

        [RuntimeExport("user_start")]
        private static void Start(int argc, sbyte** argv, byte** envp)
        {
            // Static fields of reference type get their storage objects here (the heap grows with sbrk).
            StartupCodeHelpers.InitializeModules(ModulesStart(), ModulesEnd());
            Environment.Variables = envp;
            int status = ManagedMain(argc, argv);
            Sys.Exit(status);
            while (true) { }                                          // exit does not return
        }
    }
}
