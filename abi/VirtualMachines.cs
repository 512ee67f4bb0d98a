using System.Runtime.InteropServices;

namespace Abi
{
    /// <summary>Why VmRun returned (kernel/Virt/ExitDispatch.cs decides it from the hardware's exit code).</summary>
    public static class VmExitReason
    {
        public const int Halted = 1;                // the guest executed HLT: it is done
        public const int NestedPageFault = 2;       // it touched guest-physical memory it does not have (exit.Address)
        public const int Shutdown = 3;              // a triple fault: a fault while delivering a fault, with no handler that works
        public const int ForbiddenInstruction = 4;  // VMRUN, VMMCALL, an MSR access...: what a guest may not do here
        public const int UnhandledPort = 5;         // an I/O port no virtual device answers (exit.Address is the port)
        public const int ConsoleFull = 6;           // its console output filled the caller's buffer: call VmRun again
        public const int InvalidState = 7;          // VMRUN refused the VMCB (VMEXIT_INVALID): a hypervisor bug
        public const int DebugExit = 8;             // it wrote its status to the virtual exit port (exit.Status)
        public const int GuestException = 9;        // trap-and-emulate backend: an exception it does not emulate (exit.ExitCode is the vector)

        public static string Name(int reason)
        {
            switch (reason)
            {
                case Halted: return "halted";
                case NestedPageFault: return "nested page fault";
                case Shutdown: return "shutdown (triple fault)";
                case ForbiddenInstruction: return "forbidden instruction";
                case UnhandledPort: return "unhandled I/O port";
                case ConsoleFull: return "console full";
                case InvalidState: return "invalid VMCB state";
                case DebugExit: return "debug exit";
                case GuestException: return "guest exception";
                default: return "unknown";
            }
        }
    }

    /// <summary>What VmRun reports: the exit, where the guest was, and the counts of exits so far.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct VmExit
    {
        public int Reason;                  // VmExitReason
        public int ConsoleLength;           // bytes of guest console output at the start of the caller's buffer
        public long ExitCode;               // the hardware's exit code of the last exit (AMD APM vol. 2, appendix C); trap backend: the last exception's vector
        public long Rip;                    // the guest's instruction pointer at that exit
        public long Address;                // nested page fault: the guest-physical address; I/O: the port
        public long Status;                 // debug exit: the value the guest wrote
        public long Exits;                  // every #VMEXIT since the VM was created
        public long IoExits;                // of them: I/O instructions
        public long InterruptExits;         // of them: the host's interrupts (the timer), which took the CPU back
        public long CpuidExits;             // of them: CPUID
        public long InjectedInterrupts;     // virtual timer ticks the hypervisor injected (EVENTINJ)
        public long WindowExits;            // exits that waited for the guest to turn interrupts on (VINTR)
        public long HaltExits;              // HLTs that waited for the next tick (interrupts on, timer running)
        public long DiskSectorsRead;        // sectors the virtual disk read from its file
        public long DiskSectorsWritten;     // and wrote to it
        public long PrivilegedExits;        // trap-and-emulate backend: CLI, STI, LGDT, MOV CR3, WRMSR ... emulated after their #GP
    }

    public static class VirtualMachineLimits
    {
        public const int MaximumMemoryMiB = 64;
        /// <summary>Where the small guests are loaded and start (guests/*.asm are assembled for it).</summary>
        public const long DefaultLoadAddress = 0x1000;
    }
}
