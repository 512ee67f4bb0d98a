namespace Virt
{
    /// <summary>
    /// What the trap-and-emulate backend keeps for the guest's privileged state, because the real CPU's
    /// belongs to the host: the guest's interrupt flag (CLI and STI change this one, never the real IF,
    /// which stays on so the host's timer keeps the CPU), its CR0, CR3, GDTR and IDTR, and a few MSRs.
    /// The emulator (Virt/TrapEmulate/Emulator.cs) reads and writes them where the guest's instruction
    /// would have used the real ones. Nothing more: a CR3 written here is recorded, not walked. A real
    /// trap-and-emulate hypervisor (VMware's before 2006) also had to build shadow page tables from the
    /// guest's own and keep them in step by write-protecting them; this backend does not, so the guest
    /// runs on the tables the host gave it (its memory at 0 to its size) whatever it loads in CR3.
    /// </summary>
    public struct VirtualCpu
    {
        public bool InterruptsEnabled;          // the guest's IF
        public ulong Cr0;                       // what SMSW and MOV from CR0 would show (only its low bits matter here)
        public ulong Cr3;                       // the last value the guest moved to CR3
        public ulong GdtBase, IdtBase;          // the descriptor tables' registers (LGDT, LIDT)
        public ushort GdtLimit, IdtLimit;

        private const int MsrSlots = 4;
        private uint _msr0, _msr1, _msr2, _msr3;
        private ulong _value0, _value1, _value2, _value3;
        private int _msrCount;

        /// <summary>The guest's view of an MSR: the last value it wrote, or 0.</summary>
        public ulong ReadMsr(uint msr)
        {
            if (_msrCount > 0 && _msr0 == msr) return _value0;
            if (_msrCount > 1 && _msr1 == msr) return _value1;
            if (_msrCount > 2 && _msr2 == msr) return _value2;
            if (_msrCount > 3 && _msr3 == msr) return _value3;
            return 0;
        }

        /// <summary>Records a WRMSR; false when the guest has used all slots for other MSRs.</summary>
        public bool WriteMsr(uint msr, ulong value)
        {
            if (_msrCount > 0 && _msr0 == msr) { _value0 = value; return true; }
            if (_msrCount > 1 && _msr1 == msr) { _value1 = value; return true; }
            if (_msrCount > 2 && _msr2 == msr) { _value2 = value; return true; }
            if (_msrCount > 3 && _msr3 == msr) { _value3 = value; return true; }
            switch (_msrCount)
            {
                case 0: _msr0 = msr; _value0 = value; break;
                case 1: _msr1 = msr; _value1 = value; break;
                case 2: _msr2 = msr; _value2 = value; break;
                case 3: _msr3 = msr; _value3 = value; break;
                default: return false;
            }
            _msrCount++;
            return true;
        }

        /// <summary>A CPU after reset, in the mode the guest starts in: protected mode on (PE), interrupts off.</summary>
        public static VirtualCpu AtStart() => new VirtualCpu { Cr0 = 0x15 };    // PE, EM, ET: the SVM backend's guest CR0 (Virt/VmcbSetup.cs)
    }
}
