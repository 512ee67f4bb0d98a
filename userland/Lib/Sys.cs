using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using Abi;

namespace TeachOS
{
    /// <summary>
    /// The system calls, as C# methods: the only way a program reaches the kernel. Each stub puts the
    /// syscall number and its arguments in registers and executes `syscall` (or `int 0x80` when
    /// <see cref="UseInterruptGate"/> is set; both reach the same kernel dispatcher). Results are
    /// as the kernel returns them: a value >= 0, or a negated errno (abi/Errno.cs).
    /// </summary>
    public static unsafe class Sys
    {
        /// <summary>Enter through `int 0x80` instead of `syscall` (slower; for comparison and tests).</summary>
        public static bool UseInterruptGate;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "syscall_invoke")]
        private static extern long SyscallInstruction(long number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "int80_invoke")]
        private static extern long InterruptGate(long number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5);

        /// <summary>Makes syscall <paramref name="number"/> with raw arguments.</summary>
        public static long Call(long number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0) =>
            UseInterruptGate ? InterruptGate(number, a0, a1, a2, a3, a4, a5) : SyscallInstruction(number, a0, a1, a2, a3, a4, a5);

        // ---- One stub per syscall, with the signature abi/Syscalls.cs declares ----

        public static long Exit(int status) => Call(SyscallNumbers.Exit, (ulong)status);

        public static long GetPid() => Call(SyscallNumbers.GetPid);

        public static long GetParentPid() => Call(SyscallNumbers.GetParentPid);

        public static long Write(int descriptor, ReadOnlySpan<byte> data)
        {
            fixed (byte* bytes = data) return Call(SyscallNumbers.Write, (ulong)descriptor, (ulong)bytes, (ulong)data.Length);
        }

        public static long Read(int descriptor, Span<byte> buffer)
        {
            fixed (byte* bytes = buffer) return Call(SyscallNumbers.Read, (ulong)descriptor, (ulong)bytes, (ulong)buffer.Length);
        }

        public static long Open(string path, int flags)
        {
            byte* text = stackalloc byte[256];
            if (!ToAscii(path, text, 256)) return -Errno.ENAMETOOLONG;
            return Call(SyscallNumbers.Open, (ulong)text, (ulong)flags);
        }

        public static long Close(int descriptor) => Call(SyscallNumbers.Close, (ulong)descriptor);

        public static long FileStatus(int descriptor, out FileStatus status)
        {
            FileStatus result;
            long error = Call(SyscallNumbers.FileStatus, (ulong)descriptor, (ulong)&result);
            status = result;
            return error;
        }

        public static long Pipe(out PipeDescriptors descriptors)
        {
            PipeDescriptors result;
            long error = Call(SyscallNumbers.Pipe, (ulong)&result);
            descriptors = result;
            return error;
        }

        public static long Duplicate(int oldDescriptor, int newDescriptor) =>
            Call(SyscallNumbers.Duplicate, (ulong)oldDescriptor, (ulong)newDescriptor);

        public static long Spawn(string path, string[] arguments, int input, int output, int error)
        {
            const int MaximumArguments = 32, Room = 4096;
            if (arguments.Length > MaximumArguments) return -Errno.E2BIG;
            byte* strings = stackalloc byte[Room];
            ulong* argv = stackalloc ulong[MaximumArguments + 1];
            byte* programPath = stackalloc byte[256];
            if (!ToAscii(path, programPath, 256)) return -Errno.ENAMETOOLONG;
            int used = 0;
            for (int i = 0; i < arguments.Length; i++)
            {
                if (!ToAscii(arguments[i], strings + used, Room - used)) return -Errno.E2BIG;
                argv[i] = (ulong)(strings + used);
                used += arguments[i].Length + 1;
            }
            argv[arguments.Length] = 0;
            return Call(SyscallNumbers.Spawn, (ulong)programPath, (ulong)argv, (ulong)input, (ulong)output, (ulong)error);
        }

        public static long Wait(int pid, out int status)
        {
            int result = 0;
            long waited = Call(SyscallNumbers.Wait, (ulong)(long)pid, (ulong)&result);
            status = result;
            return waited;
        }

        public static long Kill(int pid) => Call(SyscallNumbers.Kill, (ulong)(long)pid);

        public static long Sbrk(long increment) => Call(SyscallNumbers.Sbrk, (ulong)increment);

        public static long Sleep(long milliseconds) => Call(SyscallNumbers.Sleep, (ulong)milliseconds);

        public static long Uptime() => Call(SyscallNumbers.Uptime);

        public static long Yield() => Call(SyscallNumbers.Yield);

        public static long ReadDirectory(int descriptor, int index, out DirectoryEntry entry)
        {
            DirectoryEntry result;
            long found = Call(SyscallNumbers.ReadDirectory, (ulong)descriptor, (ulong)index, (ulong)&result);
            entry = result;
            return found;
        }

        public static long ThreadCreate(ulong entry, ulong stackTop, ulong argument0, ulong argument1, string name)
        {
            byte* text = stackalloc byte[256];
            if (!ToAscii(name, text, 256)) return -Errno.ENAMETOOLONG;
            return Call(SyscallNumbers.ThreadCreate, entry, stackTop, argument0, argument1, (ulong)text);
        }

        public static long ThreadExit(int code) => Call(SyscallNumbers.ThreadExit, (ulong)code);

        public static long ThreadJoin(int threadId) => Call(SyscallNumbers.ThreadJoin, (ulong)threadId);

        public static long ThreadInfo(int index, out ThreadInfo info)
        {
            ThreadInfo result;
            long found = Call(SyscallNumbers.ThreadInfo, (ulong)index, (ulong)&result);
            info = result;
            return found;
        }

        public static long GetThreadId() => Call(SyscallNumbers.GetThreadId);

        // ---- Helpers the stubs and programs share ----

        /// <summary>Copies a string as NUL-terminated ASCII; false if it does not fit.</summary>
        public static bool ToAscii(string text, byte* buffer, int capacity)
        {
            if (text.Length + 1 > capacity) return false;
            for (int i = 0; i < text.Length; i++) buffer[i] = (byte)text[i];
            buffer[text.Length] = 0;
            return true;
        }

        /// <summary>"EBADF" for -9: how programs print a failed syscall's result.</summary>
        public static string ErrorName(long result) => result < 0 ? Errno.Name((int)-result) : "OK";
    }
}
