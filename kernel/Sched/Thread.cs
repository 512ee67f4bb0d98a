using Arch.X64;
using Mem;

namespace Sched
{
    /// <summary>
    /// A thread: something a CPU can run. Each has its own kernel stack, and that is the point: when a
    /// thread traps into the kernel (a syscall, an interrupt), the CPU saves its user state on *its*
    /// kernel stack (Arch/X64/TrapFrame.cs), and the kernel code it then runs keeps its local variables
    /// there too. If it blocks (waiting for a key, say), all of that simply stays on its stack while
    /// other threads run on theirs; switching threads is switching stacks (Sched/ContextSwitch.asm).
    /// A user thread belongs to a process (its address space); a kernel thread has none.
    /// </summary>
    public sealed unsafe class Thread
    {
        public int Id;
        public string Name;                      // the thread's own copy, freed with it (docs/analyzers/TOS0007.md)
        public ThreadOwner Owner;                // its process (Sched/ThreadOwner.cs); null for kernel threads
        public ThreadState State;

        /// <summary>Where context_switch left this thread's stack pointer while it is not running.</summary>
        public ulong SavedStackPointer;
        public KernelStack Stack;                // null for the boot thread, which keeps the boot stack
        public ulong KernelStackTop;

        /// <summary>
        /// While the thread runs a guest deprivileged in ring 3 (the trap-and-emulate backend,
        /// kernel/Virt/TrapEmulate): the guest's page-table root, which a switch to this thread loads
        /// instead of its process's, and the guest itself (Virt's, opaque here). 0 and null otherwise.
        /// </summary>
        public ulong GuestRoot;
        public object Guest;

        /// <summary>The top of the user stack the thread was started on (0 if not known: a fork's copy), for vmmap.</summary>
        public ulong UserStackTop;

        public ulong CpuTicks;                   // timer ticks during which this thread was running
        public int QuantumLeft;                  // ticks left before the scheduler may preempt it
        public ulong WakeAtTick;                 // for Sleeping threads
        public WaitQueue WaitingOn;              // for Blocked threads
        public Thread NextWaiter;                // the next thread on the same wait queue
        public bool IsIdle;
        public int LastCpu;

        /// <summary>The CPUs this thread may run on, one bit per CPU id (the affinity syscall).</summary>
        public ulong Affinity = ulong.MaxValue;

        public int ExitCode;
        public WaitQueue Joiners;                // threads in thread_join on this one
        public bool Detached;                    // nobody will join: free it when it exits
        public bool JoinClaimed;                 // a thread_join has taken it (only one may: the join frees it)
        public Thread JoiningOn;                 // the thread this one waits for in thread_join (to find join cycles)

        /// <summary>
        /// Owner.Killed, copied with the scheduler's lock held when the thread is registered and when its
        /// process is killed (Scheduler.OwnerKilledLocked). <see cref="Processor.Run"/> copies it on into the
        /// CPU's GS block for the trap exit's one test (Proc/TrapExit.cs): a byte of the thread itself
        /// takes 2 instructions of every switch to copy; the owner's flag, behind a reference that may be
        /// null, took 8.
        /// </summary>
        public bool OwnerKilled;

        private static int s_nextId = 1;

        private const ulong InitialUserFlags = 0x202;      // IF set (interrupts on in user mode), bit 1 reserved = 1
        private const int KernelThreadRegister = 12;

        // The thread keeps a copy of its name, whatever the caller's string is (a literal, a user's
        // name read into a temporary, the empty string): so Release always frees exactly what it owns.
        private Thread(System.ReadOnlySpan<char> name)
        {
            Id = s_nextId++;
            Name = string.Copy(name);
            State = ThreadState.Ready;
            Joiners = new WaitQueue("join");
        }

        /// <summary>Code that is already running (kmain, an AP's start-up) becomes a thread, on the stack it has.</summary>
        public static Thread ForBootCode(string name, ulong stackTop) =>
            new Thread(name) { State = ThreadState.Running, KernelStackTop = stackTop };

        /// <summary>A kernel thread that will run <paramref name="entry"/>(<paramref name="argument"/>).</summary>
        public static Thread CreateKernel(string name, delegate*<ulong, int> entry, ulong argument)
        {
            var thread = new Thread(name);
            thread.AllocateStack();
            // Two slots of padding: when thread_start is "returned" to, rsp is top - 16, 16-byte aligned
            // as the ABI requires before each call it makes.
            ulong* top = (ulong*)thread.KernelStackTop;
            thread.BuildFirstSwitchFrame(top - 2, (ulong)entry, argument);
            return thread;
        }

        /// <summary>
        /// A user thread of <paramref name="owner"/> that will start at <paramref name="entry"/> in ring 3
        /// with its stack at <paramref name="userStack"/> and two arguments in rdi and rsi. Null when no
        /// kernel stack can be had (the maximum of stacks, or memory short: Mem/KernelStack.cs TryAllocate).
        /// </summary>
        public static Thread CreateUser(ThreadOwner owner, string name, ulong entry, ulong userStack, ulong argument0, ulong argument1)
        {
            KernelStack stack = KernelStack.TryAllocate(forUser: true);
            if (stack == null) return null;
            // Its affinity starts as wide as its process's CPUs allow (cpuset.cpus).
            var thread = new Thread(name) { Owner = owner, UserStackTop = userStack, Affinity = owner != null ? owner.CpuMask : ulong.MaxValue };
            thread.UseStack(stack);

            // The TrapFrame that trap_return will "return" through, as if the thread had trapped
            // into the kernel from exactly that place in ring 3.
            TrapFrame* frame = thread.UserFrame;
            StartUserFrame(frame, entry, userStack, argument0, argument1);
            thread.BuildFirstSwitchFrame((ulong*)frame, 0, 0);
            return thread;
        }

        /// <summary>
        /// Makes <paramref name="frame"/> start a program afresh: at <paramref name="entry"/> in ring 3,
        /// on <paramref name="userStack"/>, every register 0 but the two arguments in rdi and rsi, and
        /// interrupts on. A new thread's first frame, and exec's new program in an old thread.
        /// </summary>
        public static void StartUserFrame(TrapFrame* frame, ulong entry, ulong userStack, ulong argument0, ulong argument1)
        {
            *frame = default;
            frame->Rip = entry;
            frame->Cs = Selectors.UserCode;
            frame->Rflags = InitialUserFlags;
            frame->Rsp = userStack;
            frame->Ss = Selectors.UserData;
            frame->Rdi = argument0;
            frame->Rsi = argument1;
        }

        /// <summary>
        /// A user thread of <paramref name="owner"/> that resumes exactly where <paramref name="state"/>
        /// (another thread's saved user state) would: fork's child, whose first return to ring 3 is from
        /// a copy of its parent's syscall. The caller sets what differs (the child's rax). Null when no
        /// kernel stack can be had, as for <see cref="CreateUser"/>.
        /// </summary>
        public static Thread CreateUserCopy(ThreadOwner owner, string name, TrapFrame* state)
        {
            KernelStack stack = KernelStack.TryAllocate(forUser: true);
            if (stack == null) return null;
            var thread = new Thread(name) { Owner = owner };
            thread.UseStack(stack);
            TrapFrame* frame = thread.UserFrame;
            *frame = *state;
            thread.BuildFirstSwitchFrame((ulong*)frame, 0, 0);
            return thread;
        }

        /// <summary>The TrapFrame at the top of a user thread's kernel stack (its saved user state).</summary>
        public TrapFrame* UserFrame => (TrapFrame*)(KernelStackTop - TrapFrame.Size);

        private void AllocateStack() => UseStack(KernelStack.Allocate());

        private void UseStack(KernelStack stack)
        {
            Stack = stack;
            KernelStackTop = Stack.Top;
            KernelStack.Fill(Stack);
        }

        // Lays out, below `above`, what context_switch pops: r15, r14, r13, r12, rbx, rbp, then the
        // return address thread_start (Sched/ContextSwitch.asm). r12/r13 tell thread_start what to run.
        private void BuildFirstSwitchFrame(ulong* above, ulong kernelEntry, ulong argument)
        {
            ulong* slot = above;
            *--slot = ThreadStart();      // return address of the first "return" from context_switch
            *--slot = 0;                  // rbp
            *--slot = 0;                  // rbx
            *--slot = kernelEntry;        // r12
            *--slot = argument;           // r13
            *--slot = 0;                  // r14
            *--slot = 0;                  // r15
            SavedStackPointer = (ulong)slot;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)]
        [System.Runtime.RuntimeImport("*", "thread_start_address")]
        private static extern ulong ThreadStart();

        /// <summary>Returns the thread's memory once nobody needs it (its stack is already gone).</summary>
        public void Release()
        {
            KernelHeap.Free(Name);
            KernelHeap.Free(Joiners);
            KernelHeap.Free(this);
        }
    }
}
