using System;
using System.Runtime;

namespace TeachOS
{
    /// <summary>
    /// When a program throws (there is no catch in TeachOS: no unwinder) or runs out of memory, it
    /// reports what happened on stderr and exits with status 134 (as a program that aborts does).
    /// </summary>
    public static class Fail
    {
        public const int ExceptionStatus = 134;

        [RuntimeExport("teachos_platform_fail")]
        private static void UnhandledException(Exception exception)
        {
            Console.Error("unhandled exception: ");
            Console.Error(exception.Message);
            Console.Error("\n");
            Sys.Exit(ExceptionStatus);
            while (true) { }   // exit does not return; this only tells the compiler so
        }

        public static void OutOfMemory()
        {
            Console.Error("out of memory\n");
            Sys.Exit(ExceptionStatus);
            while (true) { }   // exit does not return; this only tells the compiler so
        }
    }
}
