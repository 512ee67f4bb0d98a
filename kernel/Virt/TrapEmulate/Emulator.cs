using Abi;
using Arch.X64;
using Terminal;

namespace Virt
{
    /// <summary>
    /// The emulator of the trap-and-emulate backend: what happens at each of the guest's exits, which
    /// here are the exceptions it takes in ring 3 (Virt/TrapEmulate/TrapEmulation.cs sends them). A
    /// privileged instruction in ring 3 with IOPL 0 raises #GP without doing anything (Intel SDM vol. 3A,
    /// 5.9 "Privileged Instructions"; IN and OUT: vol. 1, 19.5 "I/O Privilege Level"): the emulator
    /// decodes it (Virt/TrapEmulate/InstructionDecoder.cs), does to the virtual CPU
    /// (Virt/TrapEmulate/VirtualCpu.cs) or to the virtual devices (Virt/VirtualPorts.cs) what it would
    /// have done to the real ones, and moves RIP past it. Any other exception, and an instruction it
    /// does not know, stops the guest with a report, as the SVM backend's stop exits do (Virt/StopExits.cs).
    ///
    /// What never comes here is the lesson (Popek and Goldberg, 1974): POPF in ring 3 does not fault when
    /// it tries to change IF, it silently leaves IF alone; PUSHF, SGDT, SIDT and SMSW do not fault either,
    /// and show the host's real state (unless CR4.UMIP makes the last three fault). An emulator that
    /// only sees faults cannot correct them: x86 was not classically virtualizable.
    /// </summary>
    public static unsafe class Emulator
    {
        private const ulong VectorGeneralProtection = 13, VectorPageFault = 14, VectorInvalidOpcode = 6;

        public static int Handle(VirtualMachine vm, TrapFrame* frame)
        {
            if (frame->Vector != VectorGeneralProtection) return Exception(vm, frame);
            if (!InstructionDecoder.Decode(vm, frame, out DecodedInstruction d))
            {
                Console.WriteLine($"vm {vm.Id}: #GP at rip 0x{frame->Rip:x}, whose instruction is not in the guest's memory; guest stopped");
                return VmExitReason.GuestException;
            }
            DeprivilegedGuest guest = vm.Deprivileged;
            int reason = ExitDispatch.Continue;
            switch (d.Kind)
            {
                case GuestInstruction.Cli: guest.Cpu.InterruptsEnabled = false; break;
                case GuestInstruction.Sti: guest.Cpu.InterruptsEnabled = true; break;
                case GuestInstruction.Hlt:
                    // There is no tick to wait for in this backend: a halt ends the guest, as on SVM
                    // when nothing could wake it.
                    reason = VmExitReason.Halted;
                    break;
                case GuestInstruction.In:
                case GuestInstruction.Out:
                    reason = Port(vm, frame, d);
                    break;
                case GuestInstruction.Lgdt:
                case GuestInstruction.Lidt:
                    if (!ReadTableRegister(vm, d.Address, out ushort limit, out ulong tableBase)) return OutsideMemory(vm, frame, d);
                    if (d.Kind == GuestInstruction.Lgdt) { guest.Cpu.GdtLimit = limit; guest.Cpu.GdtBase = tableBase; }
                    else { guest.Cpu.IdtLimit = limit; guest.Cpu.IdtBase = tableBase; }
                    break;
                case GuestInstruction.Sgdt:
                case GuestInstruction.Sidt:     // they fault only with CR4.UMIP on: then the guest sees its own
                    bool gdt = d.Kind == GuestInstruction.Sgdt;
                    if (!WriteTableRegister(vm, d.Address, gdt ? guest.Cpu.GdtLimit : guest.Cpu.IdtLimit, gdt ? guest.Cpu.GdtBase : guest.Cpu.IdtBase))
                        return OutsideMemory(vm, frame, d);
                    break;
                case GuestInstruction.Smsw:
                    if (d.HasMemory) return Unknown(vm, frame, d);
                    GuestRegisterFile.Write(frame, d.Register, guest.Cpu.Cr0 & 0xFFFF);
                    break;
                case GuestInstruction.MovToCr:
                case GuestInstruction.MovFromCr:
                    if (d.ControlRegister != 0 && d.ControlRegister != 3) return Unknown(vm, frame, d);
                    ref ulong control = ref d.ControlRegister == 0 ? ref guest.Cpu.Cr0 : ref guest.Cpu.Cr3;
                    if (d.Kind == GuestInstruction.MovToCr) control = GuestRegisterFile.Read(frame, d.Register);   // recorded, not used: no shadow paging
                    else GuestRegisterFile.Write(frame, d.Register, control);
                    break;
                case GuestInstruction.Wrmsr:
                    if (!guest.Cpu.WriteMsr((uint)frame->Rcx, (frame->Rdx << 32) | (uint)frame->Rax))
                    {
                        Console.WriteLine($"vm {vm.Id}: WRMSR of MSR 0x{(uint)frame->Rcx:x}: this virtual CPU keeps only four MSRs; guest stopped");
                        return VmExitReason.ForbiddenInstruction;
                    }
                    break;
                case GuestInstruction.Rdmsr:
                    ulong value = guest.Cpu.ReadMsr((uint)frame->Rcx);
                    frame->Rax = (uint)value;
                    frame->Rdx = value >> 32;
                    break;
                default: return Unknown(vm, frame, d);
            }
            if (d.Kind != GuestInstruction.In && d.Kind != GuestInstruction.Out && d.Kind != GuestInstruction.Hlt) guest.PrivilegedExits++;
            frame->Rip += (ulong)d.Length;            // step over it, whether the guest goes on or stops
            if (reason == ExitDispatch.Continue && vm.ConsoleIsFull) reason = VmExitReason.ConsoleFull;
            return reason;
        }

        private static int Port(VirtualMachine vm, TrapFrame* frame, DecodedInstruction d)
        {
            vm.IoExits++;
            ushort port = d.PortInDx ? (ushort)frame->Rdx : d.Port;
            ulong mask = d.OperandBytes == 1 ? 0xFFul : d.OperandBytes == 2 ? 0xFFFFul : 0xFFFF_FFFFul;
            bool input = d.Kind == GuestInstruction.In;
            uint value = (uint)(frame->Rax & mask);
            int reason = VirtualPorts.Access(vm, port, input, d.OperandBytes, ref value);
            if (reason == VmExitReason.UnhandledPort)
                Console.WriteLine($"vm {vm.Id}: {(input ? "IN from" : "OUT to")} port 0x{port:x}, which no virtual device answers, at rip 0x{frame->Rip:x}; guest stopped");
            if (reason == ExitDispatch.Continue && input)
                frame->Rax = d.OperandBytes == 4 ? value : (frame->Rax & ~mask) | (value & mask);   // a 32-bit result clears the upper half, as in hardware
            return reason;
        }

        // A descriptor-table register's memory image in 64-bit mode: a 16-bit limit, then a 64-bit base.
        private static bool ReadTableRegister(VirtualMachine vm, ulong address, out ushort limit, out ulong tableBase)
        {
            limit = 0;
            tableBase = 0;
            if (address >= vm.Memory.Size || vm.Memory.Size - address < 10) return false;
            for (int i = 0; i < 2; i++) limit |= (ushort)(*vm.Memory.HostPointer(address + (ulong)i) << (8 * i));
            for (int i = 0; i < 8; i++) tableBase |= (ulong)*vm.Memory.HostPointer(address + 2 + (ulong)i) << (8 * i);
            return true;
        }

        private static bool WriteTableRegister(VirtualMachine vm, ulong address, ushort limit, ulong tableBase)
        {
            if (address >= vm.Memory.Size || vm.Memory.Size - address < 10) return false;
            for (int i = 0; i < 2; i++) *vm.Memory.HostPointer(address + (ulong)i) = (byte)(limit >> (8 * i));
            for (int i = 0; i < 8; i++) *vm.Memory.HostPointer(address + 2 + (ulong)i) = (byte)(tableBase >> (8 * i));
            return true;
        }

        private static int OutsideMemory(VirtualMachine vm, TrapFrame* frame, DecodedInstruction d)
        {
            vm.LastAddress = (long)d.Address;
            Console.WriteLine($"vm {vm.Id}: {(d.Kind == GuestInstruction.Lgdt ? "LGDT" : d.Kind == GuestInstruction.Lidt ? "LIDT" : d.Kind == GuestInstruction.Sgdt ? "SGDT" : "SIDT")} operand at 0x{d.Address:x}, outside the guest's memory, at rip 0x{frame->Rip:x}; guest stopped");
            return VmExitReason.GuestException;
        }

        // An instruction that faulted and that this emulator does not know: its bytes, for the reader to decode.
        private static int Unknown(VirtualMachine vm, TrapFrame* frame, DecodedInstruction d)
        {
            Console.Write($"vm {vm.Id}: #GP (error code 0x{frame->ErrorCode:x}) on an instruction the emulator does not know at rip 0x{frame->Rip:x}:");
            for (int i = 0; i < 8 && InstructionDecoder.Fetch(vm, frame->Rip, i, out int b); i++) Console.Write($" {b:x2}");
            Console.WriteLine("; guest stopped");
            return VmExitReason.ForbiddenInstruction;
        }

        // Not a privileged instruction: the guest's own fault (a page fault outside its memory, an undefined opcode ...).
        private static int Exception(VirtualMachine vm, TrapFrame* frame)
        {
            if (frame->Vector == VectorPageFault)
            {
                ulong address = FaultInfo.PageFaultAddress;
                vm.LastAddress = (long)address;
                string where = address < vm.Memory.Size ? "inside its memory" : address >= 0xFFFF_8000_0000_0000 ? "the host kernel's half, supervisor-only" : "outside its memory";
                Console.WriteLine($"vm {vm.Id}: page fault at 0x{address:x} ({where}; error code 0x{frame->ErrorCode:x}) at rip 0x{frame->Rip:x}; guest stopped");
            }
            else if (frame->Vector == VectorInvalidOpcode)
            {
                Console.Write($"vm {vm.Id}: invalid opcode (#UD) at rip 0x{frame->Rip:x}:");
                for (int i = 0; i < 8 && InstructionDecoder.Fetch(vm, frame->Rip, i, out int b); i++) Console.Write($" {b:x2}");
                Console.WriteLine("; guest stopped");
            }
            else
                Console.WriteLine($"vm {vm.Id}: exception {frame->Vector} (error code 0x{frame->ErrorCode:x}) at rip 0x{frame->Rip:x}; guest stopped");
            return VmExitReason.GuestException;
        }
    }
}
