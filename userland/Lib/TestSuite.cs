namespace TeachOS
{
    /// <summary>One test of a test program: its name, and the method that runs it.</summary>
    public unsafe struct UserTest
    {
        public string Name;
        public delegate*<void> Body;

        /// <summary>A long test (1,000 processes, say) that runs only when named on the command line.</summary>
        public bool OnlyWhenNamed;
    }

    /// <summary>
    /// The runner of the test programs that check the kernel from ring 3 (usertests, threadtests).
    /// `PROGRAM` runs every test, `PROGRAM NAME...` only the named ones. A test is a method that calls
    /// <see cref="Check"/> and <see cref="Expect"/>; a failed check prints what was wrong and the test
    /// goes on, so one run shows every broken check. The output, which tests/Integration reads:
    /// <code>
    ///   test NAME: OK                     or   FAILED NAME, after its "  check failed: ..." lines
    ///   PROGRAM: N passed, M failed       and the exit status is M
    /// </code>
    /// </summary>
    public static unsafe class TestSuite
    {
        private static int s_failures;

        public static int Run(string program, UserTest[] tests, string[] args)
        {
            int passed = 0, failed = 0;
            foreach (UserTest test in tests)
            {
                bool named = System.Array.IndexOf(args, test.Name) >= 0;
                if (args.Length > 0 ? !named : test.OnlyWhenNamed) continue;
                s_failures = 0;
                test.Body();
                Console.WriteLine((s_failures == 0 ? "test " : "FAILED ") + test.Name + (s_failures == 0 ? ": OK" : ""));
                if (s_failures == 0) passed++; else failed++;
            }
            Console.WriteLine(program + ": " + passed + " passed, " + failed + " failed");
            return failed;
        }

        /// <summary>Checks failed so far in this test: a forked child exits with it, so its parent can count them.</summary>
        public static int Failures => s_failures;

        public static void Check(bool condition, string what)
        {
            if (condition) return;
            s_failures++;
            Console.WriteLine("  check failed: " + what);
        }

        /// <summary>Checks a syscall's result; a negative one is shown by its name (-EFAULT).</summary>
        public static void Expect(long actual, long expected, string what)
        {
            if (actual == expected) return;
            s_failures++;
            Console.WriteLine("  check failed: " + what + ": expected " + Grade.Describe(expected) + ", got " + Grade.Describe(actual));
        }
    }
}
