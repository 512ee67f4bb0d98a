using System;
using Abi;
using TeachOS;

/// <summary>
/// vm run [--backend svm|trap] IMAGE [--mem MiB] [--disk FILE]: runs a guest image (a flat binary such as /guests/hello.bin, loaded at
/// guest-physical 0x1000) in a virtual machine of its own (AMD SVM with nested paging; kernel/Virt; or, with
/// --backend trap, deprivileged in ring 3 with each privileged instruction trapped and emulated:
/// kernel/Virt/TrapEmulate),
/// prints its console as it comes, prefixed "guest| " so that the host's lines and the guest's can
/// be told apart, then why it stopped and its exits. Status 0 when the guest halted (or the status it
/// wrote to the debug-exit port), 1 when it was stopped for a fault or a forbidden instruction, 2 for
/// a usage error or a refused image. With --disk, FILE's 512-byte sectors are the guest's virtual disk
/// (kernel/Virt/VirtualDisk.cs): opened to read and write if it may be, else to read only. Kill the process to stop a guest that never ends: its exit destroys the VM.
/// </summary>
public static unsafe class Vm
{
    private const int DefaultMemoryMiB = 4;

    public static int Main(string[] args)
    {
        int memory = DefaultMemoryMiB;
        string image = null, disk = null;
        bool trap = false, badBackend = false;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--mem" && i + 1 < args.Length && int.TryParse(args[i + 1], out memory)) i++;
            else if (args[i] == "--disk" && i + 1 < args.Length) disk = args[++i];
            else if (args[i] == "--backend" && i + 1 < args.Length)
            {
                trap = args[++i] == "trap";
                badBackend = !trap && args[i] != "svm";
            }
            else if (image == null) image = args[i];
            else image = "";
        }
        if (args.Length < 2 || args[0] != "run" || string.IsNullOrEmpty(image) || badBackend)
        {
            Console.Error("usage: vm run [--backend svm|trap] IMAGE [--mem MiB] [--disk FILE]\n");
            return 2;
        }
        return Run(image, memory, disk, trap);
    }

    private static int Run(string path, int memoryMiB, string disk, bool trap)
    {
        byte[] image = VirtualMachines.ReadImage(path, out long error);
        if (image == null) { Files.ReportError("vm", path, error); return 2; }
        long vm = VirtualMachines.CreateWith(image, memoryMiB, trap);
        if (vm == -Errno.ENODEV) { Console.Error("vm: this CPU has no AMD SVM with nested paging (QEMU: -cpu max or +svm,+npt)\n"); return 2; }
        if (vm < 0) { Files.ReportError("vm", path, vm); return 2; }
        if (disk != null)
        {
            long attached = AttachDisk((int)vm, disk);
            if (attached < 0) { Files.ReportError("vm", disk, attached); Sys.VmDestroy((int)vm); return 2; }
        }

        byte* console = stackalloc byte[256];
        bool atLineStart = true;
        VmExit exit;
        long reason;
        do
        {
            reason = Sys.VmRun((int)vm, new Span<byte>(console, 256), out exit);
            if (reason >= 0) atLineStart = PrintGuestConsole(new ReadOnlySpan<byte>(console, exit.ConsoleLength), atLineStart);
        }
        while (reason == VmExitReason.ConsoleFull);
        if (!atLineStart) Console.WriteLine();
        Sys.VmDestroy((int)vm);
        if (reason < 0) { Files.ReportError("vm", "run", reason); return 2; }

        Console.WriteLine((trap ? "vm (trap-and-emulate): " : "vm: ") + VirtualMachines.Describe(exit));
        if (reason == VmExitReason.Halted) return 0;
        if (reason == VmExitReason.DebugExit) return (int)(exit.Status & 0xFF);
        return 1;
    }

    // The machine keeps the file open: this process's descriptor can go at once.
    private static long AttachDisk(int vm, string path)
    {
        long file = Sys.Open(path, OpenFlags.ReadWrite);
        if (file < 0) file = Sys.Open(path, OpenFlags.ReadOnly);
        if (file < 0) return file;
        long attached = Sys.VmAttachDisk(vm, (int)file);
        Sys.Close((int)file);
        return attached;
    }

    // Each guest line starts with "guest| ", even when it comes in two runs' worth of output.
    private static bool PrintGuestConsole(ReadOnlySpan<byte> bytes, bool atLineStart)
    {
        char[] text = new char[bytes.Length * 2 + 16];
        int length = 0;
        string prefix = "guest| ";
        foreach (byte b in bytes)
        {
            if (atLineStart)
            {
                if (length + prefix.Length + 1 > text.Length) Array.Resize(ref text, text.Length * 2 + prefix.Length);
                foreach (char c in prefix) text[length++] = c;
                atLineStart = false;
            }
            if (length + 1 > text.Length) Array.Resize(ref text, text.Length * 2);
            text[length++] = b == '\n' || (b >= 32 && b < 127) ? (char)b : '?';
            if (b == '\n') atLineStart = true;
        }
        Console.Write(new string(text, 0, length));
        return atLineStart;
    }
}
