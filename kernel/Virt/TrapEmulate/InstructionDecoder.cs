using Arch.X64;

namespace Virt
{
    /// <summary>The instructions the trap-and-emulate backend knows, as the decoder found them.</summary>
    public enum GuestInstruction
    {
        Unknown, Cli, Sti, Hlt, In, Out, Lgdt, Lidt, Sgdt, Sidt, Smsw, MovToCr, MovFromCr, Wrmsr, Rdmsr,
    }

    /// <summary>One decoded instruction: what it is, its length, and its operands.</summary>
    public struct DecodedInstruction
    {
        public GuestInstruction Kind;
        public int Length;                  // bytes, prefixes included: RIP advances by this much
        public int OperandBytes;            // IN/OUT: 1, 2 or 4
        public bool PortInDx;               // IN/OUT: the port is DX, not an immediate
        public ushort Port;                 // the immediate port
        public int ControlRegister;         // MOV to/from CRn: n
        public int Register;                // MOV CR's general register; SMSW's when not memory (0 = RAX ... 15 = R15)
        public bool HasMemory;              // a memory operand (LGDT, SGDT, SMSW m16 ...)
        public ulong Address;               // its guest address
    }

    /// <summary>
    /// The emulator's decoder: reads the instruction at the guest's RIP from its memory and recognises the
    /// few privileged ones the backend emulates, in 64-bit mode (Intel SDM vol. 2, chapter 2: prefixes,
    /// REX, opcode, ModRM, SIB, displacement, immediate). It needs the length of each, because unlike an
    /// SVM I/O exit a #GP gives no next RIP, and the address of a memory operand, because LGDT's
    /// operand is in the guest's memory. Anything else is Unknown: the emulator stops the guest and
    /// shows the bytes. Bytes outside the guest's memory are not read.
    /// </summary>
    public static unsafe class InstructionDecoder
    {
        private const int MaximumLength = 15;     // the architecture's limit (SDM vol. 2, 2.3.11)

        public static bool Decode(VirtualMachine vm, TrapFrame* frame, out DecodedInstruction d)
        {
            d = default;
            ulong rip = frame->Rip;
            int at = 0;
            bool operandSize16 = false;
            int rex = 0;
            int b;
            // Prefixes: 66 (16-bit operands) matters here; REX (40-4F) must come last, right before the opcode.
            while (true)
            {
                if (!Fetch(vm, rip, at, out b)) return false;
                if (b == 0x66) { operandSize16 = true; at++; continue; }
                if (b >= 0x40 && b <= 0x4F) { rex = b; at++; if (!Fetch(vm, rip, at, out b)) return false; }
                break;
            }
            at++;
            int size = operandSize16 ? 2 : 4;
            switch (b)
            {
                case 0xFA: d.Kind = GuestInstruction.Cli; break;
                case 0xFB: d.Kind = GuestInstruction.Sti; break;
                case 0xF4: d.Kind = GuestInstruction.Hlt; break;
                case 0xE4: case 0xE5: case 0xE6: case 0xE7:           // IN/OUT with an 8-bit immediate port
                    if (!Fetch(vm, rip, at++, out int port)) return false;
                    d.Port = (ushort)port;
                    d.Kind = b < 0xE6 ? GuestInstruction.In : GuestInstruction.Out;
                    d.OperandBytes = (b & 1) == 0 ? 1 : size;
                    break;
                case 0xEC: case 0xED: case 0xEE: case 0xEF:           // IN/OUT with the port in DX
                    d.PortInDx = true;
                    d.Kind = b < 0xEE ? GuestInstruction.In : GuestInstruction.Out;
                    d.OperandBytes = (b & 1) == 0 ? 1 : size;
                    break;
                case 0x0F:
                    if (!Fetch(vm, rip, at++, out int second)) return false;
                    if (second == 0x30) d.Kind = GuestInstruction.Wrmsr;
                    else if (second == 0x32) d.Kind = GuestInstruction.Rdmsr;
                    else if (second == 0x01 || second == 0x20 || second == 0x22)
                    {
                        if (!DecodeModRm(vm, frame, rip, ref at, rex, ref d, out int reg)) return false;
                        if (second == 0x20 || second == 0x22)
                        {
                            d.ControlRegister = reg;                   // MOV CRn: reg is the control register, rm the general one
                            d.Kind = second == 0x22 ? GuestInstruction.MovToCr : GuestInstruction.MovFromCr;
                        }
                        else if ((reg & 7) == 0 && d.HasMemory) d.Kind = GuestInstruction.Sgdt;
                        else if ((reg & 7) == 1 && d.HasMemory) d.Kind = GuestInstruction.Sidt;
                        else if ((reg & 7) == 2 && d.HasMemory) d.Kind = GuestInstruction.Lgdt;
                        else if ((reg & 7) == 3 && d.HasMemory) d.Kind = GuestInstruction.Lidt;
                        else if ((reg & 7) == 4) d.Kind = GuestInstruction.Smsw;
                    }
                    break;
            }
            d.Length = at;
            return true;
        }

        /// <summary>The byte at the guest's RIP + <paramref name="offset"/>, if it is in the guest's memory and in the 15-byte limit.</summary>
        public static bool Fetch(VirtualMachine vm, ulong rip, int offset, out int value)
        {
            value = 0;
            ulong address = rip + (ulong)offset;
            if (offset >= MaximumLength || address < rip || address >= vm.Memory.Size) return false;
            value = *vm.Memory.HostPointer(address);
            return true;
        }

        // ModRM (and SIB, displacement): the reg field, and either a register (mod 3) or a memory address.
        private static bool DecodeModRm(VirtualMachine vm, TrapFrame* frame, ulong rip, ref int at, int rex, ref DecodedInstruction d, out int reg)
        {
            reg = 0;
            if (!Fetch(vm, rip, at++, out int modrm)) return false;
            int mod = modrm >> 6, rm = modrm & 7;
            reg = ((modrm >> 3) & 7) | ((rex & 4) << 1);               // REX.R extends reg
            if (mod == 3) { d.Register = rm | ((rex & 1) << 3); return true; }   // REX.B extends rm
            d.HasMemory = true;
            ulong address = 0;
            bool ripRelative = false, noBase = false;
            if (rm == 4)
            {
                if (!Fetch(vm, rip, at++, out int sib)) return false;
                int scale = sib >> 6, index = ((sib >> 3) & 7) | ((rex & 2) << 2);
                if (index != 4) address += GuestRegisterFile.Read(frame, index) << scale;   // index 4 (RSP) means none
                noBase = (sib & 7) == 5 && mod == 0;                    // no base: a 32-bit displacement instead
                if (!noBase) address += GuestRegisterFile.Read(frame, (sib & 7) | ((rex & 1) << 3));
            }
            else if (rm == 5 && mod == 0) ripRelative = true;           // [RIP + disp32] in 64-bit mode
            else address += GuestRegisterFile.Read(frame, rm | ((rex & 1) << 3));
            int displacementBytes = ripRelative || noBase || mod == 2 ? 4 : mod == 1 ? 1 : 0;
            if (!Displacement(vm, rip, ref at, displacementBytes, ref address)) return false;
            // RIP-relative counts from the next instruction; nothing follows ModRM in these instructions.
            d.Address = ripRelative ? address + rip + (ulong)at : address;
            return true;
        }

        private static bool Displacement(VirtualMachine vm, ulong rip, ref int at, int bytes, ref ulong address)
        {
            if (bytes == 0) return true;
            long value = 0;
            for (int i = 0; i < bytes; i++)
            {
                if (!Fetch(vm, rip, at++, out int b)) return false;
                value |= (long)b << (8 * i);
            }
            if (bytes == 1) value = (sbyte)value;                      // displacements are signed
            else value = (int)value;
            address += (ulong)value;
            return true;
        }
    }
}
