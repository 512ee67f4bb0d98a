namespace TeachOS
{
    /// <summary>One part of an assignment's test program: a name the grader asks for, and the method that runs it.</summary>
    public unsafe struct GradePart
    {
        public string Name;
        public delegate*<void> Body;
    }

    /// <summary>
    /// What the assignments' test programs (assignments/NAME/grade/) print for the grader to read:
    /// one line per thing they checked from user space (with what they measured, pass or fail),
    /// facts the grader needs to check the kernel's own output (a pid), markers around the parts of
    /// the serial log a check looks at, and where each part of the program begins and ends.
    /// <code>
    ///   grade[SECRET]: part NAME               grade[SECRET]: part-done NAME MILLISECONDS
    ///   grade[SECRET]: pass CHECK: WHAT WAS SEEN
    ///   grade[SECRET]: fail CHECK: WHAT WAS SEEN
    ///   grade[SECRET]: fact NAME=VALUE
    ///   grade[SECRET]: begin SECTION  ...  grade[SECRET]: end SECTION
    /// </code>
    /// The grader (tools/grade.sh) starts the program as `PROGRAM --secret SECRET PART...`, with a
    /// secret made for that run, and reads only the lines that carry it: a line printed by anyone
    /// else (another program, a kernel that prints "pass" lines itself, an earlier run's log) is not
    /// a verdict. Run by hand (`tracetest`, or `tracetest errors` for one part), the lines read
    /// "grade: ..." and every part runs, or the named ones.
    /// </summary>
    public static unsafe class Grade
    {
        private static string s_prefix = "grade: ";

        /// <summary>
        /// Runs the parts named on the command line (all of them if none is), each between its part
        /// and part-done lines; `--secret SECRET` first sets the secret the lines carry. Before the
        /// first part it gives the fact "pid", which the kernel's own lines about the program carry.
        /// The exit status is the number of names that are not parts of this program.
        /// </summary>
        public static int Run(string[] args, GradePart[] parts)
        {
            int first = 0;
            if (args.Length >= 2 && args[0] == "--secret")
            {
                s_prefix = "grade[" + args[1] + "]: ";
                first = 2;
            }
            Fact("pid", Sys.GetPid());
            int unknown = 0;
            for (int i = first; i < args.Length; i++)
            {
                if (IsPart(parts, args[i])) continue;
                Console.WriteLine(s_prefix + "fail " + args[i] + ": this program has no part of that name");
                unknown++;
            }
            foreach (GradePart part in parts)
            {
                if (args.Length > first && !IsNamed(args, first, part.Name)) continue;
                Console.WriteLine(s_prefix + "part " + part.Name);
                long started = Sys.Uptime();
                part.Body();
                Console.WriteLine(s_prefix + "part-done " + part.Name + " " + (Sys.Uptime() - started));
            }
            return unknown;
        }

        private static bool IsPart(GradePart[] parts, string name)
        {
            foreach (GradePart part in parts)
            {
                if (part.Name == name) return true;
            }
            return false;
        }

        private static bool IsNamed(string[] args, int first, string name)
        {
            for (int i = first; i < args.Length; i++)
            {
                if (args[i] == name) return true;
            }
            return false;
        }

        /// <summary>
        /// Reports a check made in user space; <paramref name="detail"/> says what was measured or
        /// seen, and is printed whether the check passed or not.
        /// </summary>
        public static bool Check(string name, bool passed, string detail)
        {
            Console.WriteLine(s_prefix + (passed ? "pass " : "fail ") + name + ": " + detail);
            return passed;
        }

        /// <summary>A number the grader needs (for example the pid the kernel prints in its lines).</summary>
        public static void Fact(string name, long value) => Console.WriteLine(s_prefix + "fact " + name + "=" + value);

        /// <summary>Starts a part of the log that a check reads (everything printed, by anyone, until End).</summary>
        public static void Begin(string section) => Console.WriteLine(s_prefix + "begin " + section);

        public static void End(string section) => Console.WriteLine(s_prefix + "end " + section);

        /// <summary>"-ENOSYS" for -38, "5" for 5: a syscall result as the checks' messages show it.</summary>
        public static string Describe(long result) => result < 0 ? "-" + Sys.ErrorName(result) : result.ToString();
    }
}
