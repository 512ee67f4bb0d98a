using Arch.X64;
using Boot;
using Mem;
using TeachOS.Boundary;
using Terminal;

namespace Sched
{
    /// <summary>
    /// With `profile` on the command line, every timer tick on every CPU records one sample: the CPU,
    /// the process, the interrupted instruction and the return addresses found by following the
    /// frame pointers (rbp) of the interrupted stack, the kernel's and then the program's. Under
    /// `-icount` a tick comes every fixed number of guest instructions, so the samples land where the
    /// instructions are spent, the same ones on every run. <see cref="Dump"/> prints them as
    /// `profile: ...` lines when init exits; tools/Profile folds them into a flame graph (make profile).
    /// Recording runs in the timer interrupt: a few stores into a buffer made at boot, never an
    /// allocation; when the buffer is full, later ticks are only counted.
    /// </summary>
    public static unsafe class Profiler
    {
        public const int Capacity = 4096;
        public const int MaximumFrames = 16;        // per side: kernel frames, then user frames
        private const ulong KernelHalf = 0xFFFF800000000000;

        private struct Sample
        {
            public int Cpu;
            public int ProcessId;
            public int KernelCount;                 // addresses in Frames[0 .. KernelCount)
            public int UserCount;                   // then user addresses in Frames[KernelCount ..)
            public fixed ulong Frames[2 * MaximumFrames];
        }

        private static Sample[] s_samples;
        private static ulong s_taken;               // samples claimed, including those past Capacity

        public static bool Enabled { get; private set; }

        public static void Configure()
        {
            Enabled = CommandLine.Has("profile");
            if (Enabled) s_samples = new Sample[Capacity];
        }

        /// <summary>Called on every CPU's timer tick, with interrupts off.</summary>
        [InterruptContext]
        public static void Record(TrapFrame* frame)
        {
            if (!Enabled) return;
            ulong slot;
            fixed (ulong* taken = &s_taken) slot = Atomic.Add(taken, 1) - 1;    // CPUs tick at once
            if (slot >= Capacity) return;
            ref Sample sample = ref s_samples[(int)slot];
            sample.Cpu = ProcessorLocal.CurrentCpuId;
            Thread thread = Scheduler.Current;
            ThreadOwner owner = thread.Owner;
            sample.ProcessId = owner == null ? 0 : owner.Id;
            fixed (ulong* frames = sample.Frames)
            {
                int kernel = 0;
                TrapFrame* user = frame;
                if (!frame->FromUserMode)
                {
                    kernel = WalkKernel(frame->Rip, frame->Rbp, frame->Rsp, thread.KernelStackTop, frames);
                    // In a system call or a fault of a program, its own state waits at the top of
                    // the kernel stack: the program's side of the same moment.
                    user = owner != null && thread.KernelStackTop != 0 ? thread.UserFrame : null;
                }
                sample.KernelCount = kernel;
                sample.UserCount = user != null && owner.AddressSpace != null
                    ? WalkUser(owner.AddressSpace, user->Rip, user->Rbp, user->Rsp, frames + kernel) : 0;
            }
        }

        // rip, then each saved return address: [rbp] is the caller's rbp and [rbp + 8] the return
        // address. A frame pointer must lie on this stack, above the last one, and be aligned, and a
        // return address must be in the kernel's half; anything else (a function without a frame, the
        // stack's end, a CPU's start-up code below it) ends the walk.
        [InterruptContext]
        private static int WalkKernel(ulong rip, ulong rbp, ulong rsp, ulong stackTop, ulong* frames)
        {
            int count = 0;
            frames[count++] = rip;
            ulong floor = rsp;
            while (count < MaximumFrames && (rbp & 7) == 0 && rbp >= floor && stackTop != 0 && rbp + 16 <= stackTop)
            {
                ulong returnAddress = ((ulong*)rbp)[1];
                if (returnAddress < KernelHalf) break;
                frames[count++] = returnAddress;
                floor = rbp + 16;
                rbp = *(ulong*)rbp;
            }
            return count;
        }

        // The same walk over the program's stack, each word read through its page tables
        // (Mem/UserMemory.cs): a wrong rbp gives a shorter sample, never a fault.
        [InterruptContext]
        private static int WalkUser(AddressSpace space, ulong rip, ulong rbp, ulong rsp, ulong* frames)
        {
            int count = 0;
            frames[count++] = rip;
            ulong floor = rsp;
            while (count < MaximumFrames && rbp >= floor)
            {
                if (!UserMemory.TryReadMappedWord(space, rbp + 8, out ulong returnAddress) || returnAddress == 0) break;
                if (!UserMemory.TryReadMappedWord(space, rbp, out ulong callerRbp)) break;
                frames[count++] = returnAddress;
                floor = rbp + 16;
                rbp = callerRbp;
            }
            return count;
        }

        /// <summary>
        /// Prints the samples, one line each (the format tools/Profile/README.md describes):
        /// `profile: CPU pid=PID RIP RET1 ... | URIP URET1 ...`, addresses in hex, innermost first,
        /// `|` between the kernel's frames and the program's.
        /// </summary>
        public static void Dump()
        {
            if (!Enabled) return;
            ulong taken = s_taken;
            ulong count = taken < Capacity ? taken : Capacity;
            Console.WriteLine($"profile-begin hz={Time.Clock.Hertz} samples={count} dropped={taken - count}");
            for (int i = 0; i < (int)count; i++)
            {
                Sample sample = s_samples[i];
                Console.Write($"profile: {sample.Cpu} pid={sample.ProcessId}");
                for (int f = 0; f < sample.KernelCount; f++) Console.Write($" {sample.Frames[f]:x}");
                Console.Write(" |");
                for (int f = 0; f < sample.UserCount; f++) Console.Write($" {sample.Frames[sample.KernelCount + f]:x}");
                Console.WriteLine();
            }
            Console.WriteLine("profile-end");
        }
    }
}
