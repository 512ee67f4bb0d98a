using System;
using Abi;
using TeachOS;

/// <summary>
/// Reading a file whole, with a ceiling: an image's blobs are read into memory to be hashed and parsed,
/// and a file from elsewhere must not make ctr ask for more memory than it means to give. The size is
/// taken from the file's status first, so an oversized blob is refused before a byte is read.
/// </summary>
public static class WholeFile
{
    /// <summary>The largest blob ctr reads: a layer of TeachOS's programs is a few hundred KiB.</summary>
    public const long MaximumBytes = 8 * 1024 * 1024;

    /// <summary>The file's bytes (and their count in length), or null with a message in problem.</summary>
    public static unsafe byte[] Read(string path, out int length, out string problem)
    {
        length = 0;
        problem = null;
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly);
        if (descriptor < 0) { problem = path + ": " + Sys.ErrorName(descriptor); return null; }
        FileStatus status;
        long result = Sys.FileStatus((int)descriptor, out status);
        if (result < 0 || status.Kind != 1)
        {
            Sys.Close((int)descriptor);
            problem = path + ": not a regular file";
            return null;
        }
        if (status.Size > MaximumBytes)
        {
            Sys.Close((int)descriptor);
            problem = path + ": " + status.Size + " bytes, more than the " + MaximumBytes + " a blob may have";
            return null;
        }
        byte[] bytes = new byte[status.Size + 1];
        while (true)
        {
            // One byte of room more than the size said: a file that grew meanwhile is noticed, not cut.
            long read = Sys.Read((int)descriptor, new Span<byte>(bytes, length, bytes.Length - length));
            if (read < 0) { problem = path + ": " + Sys.ErrorName(read); break; }
            if (read == 0) break;
            length += (int)read;
            if (length == bytes.Length) { problem = path + ": changed while being read"; break; }
        }
        Sys.Close((int)descriptor);
        return problem == null ? bytes : null;
    }
}
