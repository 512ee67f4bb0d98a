using System;
using Abi;
using TeachOS;

/// <summary>
/// A folder packed as a layer tar (TarWriter): ctr commit's view of a container's writable layer. The
/// overlay already keeps that layer in OCI's own form (kernel/Fs/Overlay/Whiteouts.cs): a file deleted from
/// a lower layer is a file `.wh.NAME` in upper, a folder that replaced a lower one holds `.wh..wh..opq`.
/// So packing upper as it is gives exactly the layer a registry would: the whiteouts travel as files, and
/// each container or image that stacks the layer reads them the same way. Files, folders and symbolic
/// links; a folder before what is in it, so the unpacker meets parents first.
/// </summary>
public static class LayerArchive
{
    public static TarWriter Pack(string folder, out string problem)
    {
        problem = null;
        var writer = new TarWriter();
        if (!AddFolder(writer, folder, "", out problem)) return null;
        writer.Finish();
        return writer;
    }

    private static bool AddFolder(TarWriter writer, string folder, string prefix, out string problem)
    {
        problem = null;
        string[] names = FileTree.Names(folder);
        for (int i = 0; i < names.Length; i++)
        {
            string path = folder + "/" + names[i];
            string inside = prefix + names[i];
            FileStatus status;
            long result = Sys.LinkStatus(path, out status);
            if (result < 0) { problem = path + ": " + Sys.ErrorName(result); return false; }
            bool fits;
            if (status.Kind == 2)
            {
                fits = writer.AddDirectory(inside, status.Mode);
                if (fits && !AddFolder(writer, path, inside + "/", out problem)) return false;
            }
            else if (status.Kind == 5)
            {
                string target = LinkTarget(path, out result);
                if (target == null) { problem = path + ": " + Sys.ErrorName(result); return false; }
                fits = writer.AddSymbolicLink(inside, target);
            }
            else if (status.Kind == 1)
            {
                int length;
                byte[] bytes = WholeFile.Read(path, out length, out problem);
                if (bytes == null) return false;
                fits = writer.AddFile(inside, status.Mode, new ReadOnlySpan<byte>(bytes, 0, length));
            }
            else { problem = path + ": a kind of file a layer cannot hold (" + status.Kind + ")"; return false; }
            if (!fits) { problem = inside + ": a name too long for a tar header"; return false; }
        }
        return true;
    }

    private static unsafe string LinkTarget(string path, out long result)
    {
        byte* buffer = stackalloc byte[256];
        result = Sys.ReadLink(path, new Span<byte>(buffer, 256));
        return result < 0 ? null : string.FromAscii(buffer, (int)result);
    }
}
