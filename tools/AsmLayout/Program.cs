using TeachOS.Tools.AsmLayout;

// AsmLayout KERNEL.dll OUTPUT.inc: writes OUTPUT.inc only when its text changes, so the assembly that
// includes it is rebuilt only when a shared layout really changed.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: AsmLayout <Kernel.dll> <layout.inc>");
    return 2;
}
try
{
    string text = IncludeWriter.Write(LayoutReader.Read(args[0]), Path.GetFileName(args[0]));
    if (!File.Exists(args[1]) || File.ReadAllText(args[1]) != text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
        File.WriteAllText(args[1], text);
    }
    return 0;
}
catch (InvalidDataException error)
{
    Console.Error.WriteLine("error: " + error.Message);
    return 1;
}
