using Arch.X64;

namespace Virt
{
    /// <summary>
    /// The guest's general registers by their number in an instruction's encoding (0 RAX, 1 RCX, 2 RDX,
    /// 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8-15 R8-R15; Intel SDM vol. 2, 2.1.5), where its trap left
    /// them: the TrapFrame. The emulator changes them there, and the trap's return puts them back.
    /// </summary>
    public static unsafe class GuestRegisterFile
    {
        public static ulong Read(TrapFrame* frame, int number) => *Slot(frame, number);

        public static void Write(TrapFrame* frame, int number, ulong value) => *Slot(frame, number) = value;

        private static ulong* Slot(TrapFrame* f, int number)
        {
            switch (number & 15)
            {
                case 0: return &f->Rax;
                case 1: return &f->Rcx;
                case 2: return &f->Rdx;
                case 3: return &f->Rbx;
                case 4: return &f->Rsp;
                case 5: return &f->Rbp;
                case 6: return &f->Rsi;
                case 7: return &f->Rdi;
                case 8: return &f->R8;
                case 9: return &f->R9;
                case 10: return &f->R10;
                case 11: return &f->R11;
                case 12: return &f->R12;
                case 13: return &f->R13;
                case 14: return &f->R14;
                default: return &f->R15;
            }
        }
    }
}
