using Diagnostics;
using Terminal;

namespace Tests
{
    /// <summary>
    /// Kernel test mode: `test=NAME` on the command line runs the in-kernel test NAME (or `test=all`
    /// runs every test that is expected to pass), prints one line per test, then reports the verdict
    /// to the runner through isa-debug-exit: status 0 when all passed, 1 otherwise. Tests that are
    /// meant to end in a panic (Tests/PanicTests.cs) are run one per boot; the host test checks
    /// the panic report.
    /// </summary>
    public static unsafe class KernelTestRunner
    {
        private static int s_failedChecks;
        private static string s_currentTest;

        public static void Run(string name)
        {
            int passed = 0, failed = 0, found = 0;
            KernelTest[] tests = KernelTestList.All();
            for (int i = 0; i < tests.Length; i++)
            {
                bool selected = name == "all" ? !tests[i].EndsInPanic && !tests[i].Interactive : tests[i].Name == name;
                if (!selected) continue;
                found++;
                if (RunOne(tests[i])) passed++; else failed++;
            }

            if (found == 0)
            {
                Console.Write("kernel tests: no test named ");
                Console.WriteLine(name);
                DebugExit.PowerOff(DebugExit.StatusFailure);
            }
            Console.Write("kernel tests: ");
            Console.WriteDecimal(passed);
            Console.Write(" passed, ");
            Console.WriteDecimal(failed);
            Console.WriteLine(" failed");
            DebugExit.PowerOff(failed == 0 ? DebugExit.StatusSuccess : DebugExit.StatusFailure);
        }

        private static bool RunOne(KernelTest test)
        {
            s_currentTest = test.Name;
            s_failedChecks = 0;
            Console.Write("test ");
            Console.Write(test.Name);
            Console.WriteLine(" ...");
            test.Body();
            Console.Write(s_failedChecks == 0 ? "test " : "FAILED ");
            Console.Write(test.Name);
            Console.WriteLine(s_failedChecks == 0 ? " ok" : "");
            return s_failedChecks == 0;
        }

        /// <summary>Records a failed expectation (the test goes on, so one run shows every failure).</summary>
        public static void Check(bool condition, string what)
        {
            if (condition) return;
            s_failedChecks++;
            Console.Write("  check failed in ");
            Console.Write(s_currentTest);
            Console.Write(": ");
            Console.WriteLine(what);
        }

        public static void CheckEqual(long expected, long actual, string what)
        {
            if (expected == actual) return;
            Check(false, what);
            Console.Write("    expected ");
            Console.WriteDecimal(expected);
            Console.Write(", got ");
            Console.WriteDecimal(actual);
            Console.WriteLine();
        }

        public static void CheckEqual(string expected, string actual, string what)
        {
            if (expected == actual) return;
            Check(false, what);
            Console.Write("    expected \"");
            Console.Write(expected);
            Console.Write("\", got \"");
            Console.Write(actual);
            Console.WriteLine("\"");
        }
    }

    /// <summary>One in-kernel test: a name for the command line and the code to run.</summary>
    public unsafe struct KernelTest
    {
        public string Name;
        public delegate*<void> Body;
        public bool EndsInPanic;
        public bool Interactive;      // needs input from outside (not part of test=all)

        public KernelTest(string name, delegate*<void> body, bool endsInPanic = false, bool interactive = false)
        {
            Name = name;
            Body = body;
            EndsInPanic = endsInPanic;
            Interactive = interactive;
        }
    }
}
