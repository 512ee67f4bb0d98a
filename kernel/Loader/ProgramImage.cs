namespace Loader
{
    /// <summary>
    /// The file a process was loaded from: its path, for reports, and a reader of the file itself (not a
    /// copy), from which a fault report reads the symbol table on demand (ElfSymbols.cs).
    /// The process owns both: the reader is closed when the process exits (Processes.Exit), the path
    /// when it is freed (Processes.Free).
    /// </summary>
    public sealed class ProgramImage
    {
        public string Path;
        public ProgramFile File;

        /// <summary>fork's child runs the same program: its own copy of the path and its own reader.</summary>
        public ProgramImage Copy() => new ProgramImage { Path = string.Copy(Path), File = File?.Copy() };
    }
}
