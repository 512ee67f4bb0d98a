using System;

namespace Loader
{
    /// <summary>
    /// A program's file as the loader and the fault report see it: bytes read at an offset, a piece at
    /// a time, straight from the file system. Nothing holds a copy of the whole file, so a process costs
    /// the kernel no memory for its image, and a larger file system (a disk) can implement this too.
    /// Implemented by ProgramFile (a file of any mounted file system) and, in the host tests, by a byte array.
    /// </summary>
    public interface IProgramFile
    {
        /// <summary>The file's size in bytes now (0 once it is no longer the program that was loaded).</summary>
        ulong Length { get; }

        /// <summary>
        /// Fills <paramref name="buffer"/> with the bytes at <paramref name="offset"/>. False, with nothing
        /// promised about the buffer, if they are not all in the file (or the file is no longer the
        /// program that was loaded).
        /// </summary>
        bool ReadAt(ulong offset, Span<byte> buffer);
    }
}
