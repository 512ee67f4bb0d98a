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
                bool selected = name == "all" ? !tests[i].EndsInPanic && !tests[i].Interactive && !tests[i].NeedsDisk : tests[i].Name == name;
                if (!selected) continue;
                found++;
                if (RunOne(tests[i])) passed++; else failed++;
            }

            if (found == 0)
            {
                Console.WriteLine($"kernel tests: no test named {name}");
                DebugExit.PowerOff(DebugExit.StatusFailure);
            }
            Console.WriteLine($"kernel tests: {passed} passed, {failed} failed");
            DebugExit.PowerOff(failed == 0 ? DebugExit.StatusSuccess : DebugExit.StatusFailure);
        }

        private static bool RunOne(KernelTest test)
        {
            s_currentTest = test.Name;
            s_failedChecks = 0;
            Console.WriteLine($"test {test.Name} ...");
            test.Body();
            if (s_failedChecks == 0) Console.WriteLine($"test {test.Name} ok");
            else Console.WriteLine($"FAILED {test.Name}");
            return s_failedChecks == 0;
        }

        /// <summary>Records a failed expectation (the test goes on, so one run shows every failure).</summary>
        public static void Check(bool condition, string what)
        {
            if (condition) return;
            s_failedChecks++;
            Console.WriteLine($"  check failed in {s_currentTest}: {what}");
        }

        public static void CheckEqual(long expected, long actual, string what)
        {
            if (expected == actual) return;
            Check(false, what);
            Console.WriteLine($"    expected {expected}, got {actual}");
        }

        public static void CheckEqual(string expected, string actual, string what)
        {
            if (expected == actual) return;
            Check(false, what);
            Console.WriteLine($"    expected \"{expected}\", got \"{actual}\"");
        }
    }

    /// <summary>One in-kernel test: a name for the command line and the code to run.</summary>
    public unsafe struct KernelTest
    {
        public string Name;
        public delegate*<void> Body;
        public bool EndsInPanic;
        public bool Interactive;      // needs input from outside (not part of test=all)
        public bool NeedsDisk;        // needs a scratch disk image attached (not part of test=all)

        public KernelTest(string name, delegate*<void> body, bool endsInPanic = false, bool interactive = false, bool needsDisk = false)
        {
            Name = name;
            Body = body;
            EndsInPanic = endsInPanic;
            Interactive = interactive;
            NeedsDisk = needsDisk;
        }
    }
}
