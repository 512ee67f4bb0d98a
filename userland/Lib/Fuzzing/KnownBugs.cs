namespace TeachOS.Fuzzing
{
    /// <summary>
    /// Arguments that reach a bug TeachOS is known to have (issue 11), named so that a run can leave them
    /// out (`fuzz ... --skip TAG,TAG`) while the bug is being fixed, and put them back once it is. A
    /// skipped choice becomes the harmless first entry of its pool, so the rest of the run is unchanged.
    /// The same names are scenarios: `fuzz SEED 0 empty-string` runs the targeted reproduction.
    /// </summary>
    public static class KnownBugs
    {
        public const string EmptyString = "empty-string";              // "" as a spawn path, argument or thread name
        public const string PathUnderFile = "path-under-file";         // open("/etc/motd/x", O_CREAT)
        public const string PathWithoutSlash = "path-without-slash";   // spawn("fz0") while /fz0 exists

        public static bool SkipEmptyString, SkipPathUnderFile, SkipPathWithoutSlash;

        /// <summary>Reads "a,b,c" after --skip; false if a name is unknown.</summary>
        public static bool SetSkipped(string names)
        {
            foreach (string name in names.Split(','))
            {
                if (name == EmptyString) SkipEmptyString = true;
                else if (name == PathUnderFile) SkipPathUnderFile = true;
                else if (name == PathWithoutSlash) SkipPathWithoutSlash = true;
                else return false;
            }
            return true;
        }

        public static bool TextSkipped(int text) =>
            text == 10 && SkipEmptyString || text == 11 && SkipPathUnderFile || text == 12 && SkipPathWithoutSlash;

        public static bool ListSkipped(int list) => list == 2 && SkipEmptyString;
    }
}
