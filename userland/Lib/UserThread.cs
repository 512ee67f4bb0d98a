using System.Runtime;
using System.Runtime.CompilerServices;

namespace TeachOS
{
    /// <summary>
    /// Threads in a program: several flows of control sharing its memory, each scheduled on its own.
    /// Start gives the new thread a stack from the heap and asks the kernel (thread_create) to begin
    /// it at Native/Syscall.asm user_thread_start, which calls the function and then thread_exit.
    /// </summary>
    public static unsafe class UserThread
    {
        public const int StackSize = 64 * 1024;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "user_thread_start_address")]
        private static extern ulong StartAddress();

        /// <summary>Where thread_create should start a thread that runs function(argument): for programs that call it themselves (the fuzzer).</summary>
        public static ulong EntryPoint => StartAddress();

        /// <summary>Runs <paramref name="function"/>(<paramref name="argument"/>) on a new thread named <paramref name="name"/>; returns its id.</summary>
        public static int Start(delegate*<ulong, int> function, ulong argument, string name = "thread")
        {
            byte[] stack = new byte[StackSize];
            ulong top;
            fixed (byte* bottom = stack) top = ((ulong)bottom + StackSize) & ~15UL;
            return (int)Sys.ThreadCreate(StartAddress(), top, (ulong)function, argument, name);
        }

        /// <summary>
        /// Like <see cref="Start"/>, on a stack the caller set aside (<paramref name="stackTop"/>, 16-byte
        /// aligned); returns the thread's id or the kernel's negative error (EAGAIN at a limit).
        /// </summary>
        public static long StartOnStack(delegate*<ulong, int> function, ulong argument, ulong stackTop, string name) =>
            Sys.ThreadCreate(StartAddress(), stackTop, (ulong)function, argument, name);

        public static int Join(int threadId) => (int)Sys.ThreadJoin(threadId);

        [RuntimeExport("user_thread_main")]
        private static void Main(delegate*<ulong, int> function, ulong argument)
        {
            Sys.ThreadExit(function(argument));
            while (true) { }
        }
    }
}
