namespace TeachOS
{
    /// <summary>
    /// What the assignments' test programs (assignments/NAME/grade/) print for the grader to read:
    /// one line per thing they checked from user space, facts the grader needs to check the kernel's
    /// own output (a pid), and markers around the parts of the serial log a check looks at. The
    /// grader (tools/grade.sh) reads these lines, and only these, from the program's side.
    /// <code>
    ///   grade: pass NAME
    ///   grade: fail NAME: WHY
    ///   grade: fact NAME=VALUE
    ///   grade: begin SECTION ... grade: end SECTION
    /// </code>
    /// </summary>
    public static class Grade
    {
        /// <summary>Reports a check made in user space; <paramref name="detail"/> says what was seen.</summary>
        public static bool Check(string name, bool passed, string detail)
        {
            Console.WriteLine(passed ? "grade: pass " + name : "grade: fail " + name + ": " + detail);
            return passed;
        }

        /// <summary>A number the grader needs (for example the pid the kernel prints in its lines).</summary>
        public static void Fact(string name, long value) => Console.WriteLine("grade: fact " + name + "=" + value);

        /// <summary>Starts a part of the log that a check reads (everything printed, by anyone, until End).</summary>
        public static void Begin(string section) => Console.WriteLine("grade: begin " + section);

        public static void End(string section) => Console.WriteLine("grade: end " + section);

        /// <summary>"-ENOSYS" for -38, "5" for 5: a syscall result as the checks' messages show it.</summary>
        public static string Describe(long result) => result < 0 ? "-" + Sys.ErrorName(result) : result.ToString();
    }
}
