using Proc;
using System.Runtime;
using Arch.X64;
using Boot;
using Diagnostics;
using Drivers;
using Internal.Runtime.CompilerHelpers;
using Mem;
using Sched;
using Terminal;
using Time;
using Traps;

/// <summary>
/// Where C# begins: Boot/Start.asm calls kmain in 64-bit mode, on the boot stack, with the Multiboot
/// magic and the physical address of the boot loader's information. Each step below prepares what
/// the next one needs; the order matters and is explained at each step.
/// </summary>
public static unsafe class KernelMain
{
    [RuntimeExport("kmain")]
    private static void Main(uint magic, ulong multibootInfoPhysical)
    {
        // Output first, so that anything that goes wrong later can be reported.
        Serial.Initialize();

        // `new` needs memory before anything else in C# can allocate: start the heap on an area
        // reserved in the image, then let the runtime allocate the objects that hold static fields.
        KernelHeap.AddMemory(BootstrapHeap.Start, BootstrapHeap.Size);
        StartupCodeHelpers.InitializeModules(LinkerSymbols.ModulesStart(), LinkerSymbols.ModulesEnd());

        VgaText.Clear();
        Multiboot.Parse(magic, multibootInfoPhysical);
        Banner.Print();

        // Memory: which frames are free, then the kernel's own page tables (which drop the boot
        // tables' identity map: from here on page 0 is unmapped and null dereferences fault).
        FrameAllocator.Initialize();
        PageTables.Frames = new PageTableFrames();
        KernelAddressSpace.Initialize();
        FrameAllocator.PrintUsage();

        // The heap may now grow page by page into its own virtual area, and, with `debug-heap` on
        // the command line, check every block (Mem/HeapDebug.cs).
        KernelHeap.StartGrowing();
        HeapDebug.Configure();

        // Traps: this CPU's GDT and TSS (with the double-fault stack), then the IDT. From here on an
        // exception produces a report instead of a triple fault.
        ProcessorTables.Boot = Multiprocessor.CreateProcessorTables();
        Idt.Initialize(KernelHeap.Allocate(Idt.TableBytes));
        TrapLog.Configure();
        Panic.Configure();

        // Per-CPU data: this CPU's Processor, reached through GS from now on (interrupt handlers use it).
        var boot = new Processor { Id = 0, Online = true, Tables = ProcessorTables.Boot };
        Processor.Install(boot);

        // Interrupts: the CPUs (ACPI), the legacy PIC for keyboard and serial input, this CPU's local
        // APIC and its timer.
        if (!Acpi.Initialize(BootInfo.RsdtPhysical)) Console.WriteLine("acpi: no valid RSDT; running on the boot CPU only");
        Pic.Initialize(TrapVectors.IrqBase);
        Clock.Start();
        boot.ApicId = LocalApic.Id;
        InterruptHandlers.RegisterDevice(TrapVectors.KeyboardIrq, new KeyboardInterrupt());
        InterruptHandlers.RegisterDevice(TrapVectors.SerialIrq, new SerialInterrupt());
        Keyboard.Initialize();
        Serial.EnableReceiveInterrupt();

        // Threads: the scheduler turns the code running here into a thread like any other, and takes
        // each CPU's timer tick and its IPIs from the trap path (Traps/LocalInterrupt.cs); then the
        // interrupts may come, and the timer starts preempting.
        Limits.Configure();                 // the limits on processes, threads and stacks: before the first stack
        Scheduler.Initialize(boot, (ulong)LinkerSymbols.BootStackTop());
        InterruptHandlers.RegisterLocal(TrapVectors.LocalTimer, new SchedulerTick());
        InterruptHandlers.RegisterLocal(TrapVectors.RescheduleIpi, new RescheduleRequest());
        InterruptHandlers.RegisterLocal(TrapVectors.PingIpi, new PingArrival());
        boot.UseKernelStack((ulong)LinkerSymbols.BootStackTop());
        Interrupts.Enable();
        Console.WriteLine($"timer: {Clock.Hertz} Hz; interrupts on");

        // User mode: the `syscall` instruction, user faults that kill only their process, the CPU's
        // own guards on user memory, and the files of the initrd.
        SyscallMsrs.Enable();
        UserExceptionHandler.Register(new UserFaults());
        GuestTrapHandler.Register(new Virt.TrapEmulation());    // a deprivileged guest's traps go to its emulator
        DemandPaging.Register(new UserPageFaults());        // lazy pages, for faults and for the copy layer
        ProtectionFeatures.EnableOnThisCpu();
        string smep = ProtectionFeatures.SmepEnabled ? "on" : "not available";
        string smap = ProtectionFeatures.SmapEnabled ? "on" : "not available";
        Console.WriteLine($"protection: SMEP {smep}, SMAP {smap}");

        // The devices on the PCI bus, one line each, and the disk among them (before the other CPUs
        // start: configuration space is one pair of ports for the whole machine).
        Pci.Enumerate();
        BlockDevices.FindDisk();
        NetworkDevices.Find();

        // The network stack: loopback, the card as eth0, their receive threads (Net/NetworkBoot.cs).
        // Before the other CPUs start: the new threads run once here, on this CPU, and block until
        // frames come, so the other CPUs find them asleep and this code stays where it is.
        Net.NetworkBoot.Start();
        Net.Sockets.Transport.Start();          // TCP and UDP on top of IPv4, and their timer

        // The other logical CPUs, each set up like this one, idle until the scheduler gives them work.
        Multiprocessor.StartOtherCpus(boot);
        Virt.SvmHost.Initialize();           // the hypervisor's pages, if the CPU has AMD SVM (kernel/Virt)
        Fs.Initrd.Unpack();
        Fs.DeviceVolume.MountAtBoot();       // /dev: console, null, zero (Fs/Devices/)
        Fs.FileSystemTypes.RegisterBuiltIn();            // what `mount -t` can make: tmpfs (Fs/Vfs/FileSystemTypes.cs)
        Fs.Mounts.Register(new Proc.ProcessMounts());    // lookups use the calling process's mount namespace
        Cgroups.CgroupVolume.MountAtBoot();  // /sys/fs/cgroup: the control groups (Cgroups/)
        Proc.ResourceGroup.Register(Cgroups.ControlGroupTree.Root);   // processes reach their group through this; init is born in the root
        Drivers.IoBandwidth.Register(new Cgroups.GroupIoBudget());     // disk requests are charged to their process's group (io.max)

        // The disk's file system beside it, at /disk: the initrd holds the programs, the disk what
        // survives a reboot (Fs/DiskFileSystem.cs). Mounting may run the log's recovery.
        Fs.DiskFileSystem.MountAtBoot(BlockDevices.Disk);

        string test = CommandLine.Get("test");
        if (test != null)
        {
            Tests.KernelTestRunner.Run(test);     // reports its verdict and powers off
            return;
        }

        RunInit();
    }

    /// <summary>
    /// Starts the first user process: `init=/bin/PROG ARGS...` from the command line (it must be the
    /// last word), or /bin/init, which starts login or the shell (DefaultInit). When it exits, TeachOS powers off with its
    /// exit status, after checking that every frame user space used came back.
    /// </summary>
    private static void RunInit()
    {
        string command = CommandLine.GetRest("init") ?? DefaultInit();
        string[] arguments = command.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        // The heap's caches (quarantine, spare chunks, pages not yet unmapped) are emptied before
        // both counts, so that frames the heap merely keeps do not look like a leak.
        KernelHeap.ReturnCachedMemory();
        ulong framesBefore = FrameAllocator.FreeFrames;
        // Files that init's programs write stay after them (they are the file system's, not a leak):
        // the check counts the frames files hold apart, so a test can tell one from the other.
        ulong fileFramesBefore = Fs.FilePages.FramesInUse;
        ulong heapBefore = KernelHeap.BytesInUse;
        int stacksBefore = KernelStack.LiveCount;
        long pid = Processes.Spawn(arguments[0], arguments, null);
        if (pid < 0)
        {
            Console.WriteLine($"cannot start {arguments[0]}: {Abi.Errno.Name((int)-pid)}");
            DebugExit.PowerOff(DebugExit.StatusFailure);
        }

        int status = Processes.WaitForInit();
        SchedTrace.Dump();
        Profiler.Dump();
        Console.WriteLine($"init exited with status {status}");
        if (Fs.DiskFileSystem.Mounted)
            Console.WriteLine($"disk: {Fs.Log.Operations} operations in {Fs.Log.Commits} commits that wrote blocks; " +
                $"{Fs.BufferCache.DiskReads} block reads, {Fs.BufferCache.DiskWrites} block writes");
        KernelHeap.ReturnCachedMemory();
        Console.WriteLine($"memory check: {framesBefore} frames free before init, {FrameAllocator.FreeFrames} after; " +
            $"kernel heap {heapBefore} bytes in use before, {KernelHeap.BytesInUse} after; " +
            $"kernel stacks {stacksBefore} before, {KernelStack.LiveCount} after; " +
            $"files hold {fileFramesBefore} frames before, {Fs.FilePages.FramesInUse} after; " +
            $"lazy pages hold {MemoryBudget.PromisedFrames} promised frames after");
        KernelHeap.PrintUsage();
        DebugExit.PowerOff((byte)status);
    }

    /// <summary>
    /// /bin/init, with the command line's words that choose the console's session: `nologin` (the
    /// shell, without asking) and `autologin=USER` (USER's shell, without a password). Without them,
    /// init starts login (userland/Programs/init.cs).
    /// </summary>
    private static string DefaultInit()
    {
        string command = "/bin/init";
        if (CommandLine.Has("nologin")) command = string.Concat(command, " nologin");
        string user = CommandLine.Get("autologin");
        if (user != null) command = string.Concat(command, " autologin=", user);
        return command;
    }
}
