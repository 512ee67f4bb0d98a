using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// Making a chosen call (<see cref="Make"/>), unless a guard says it would block the fuzzer for ever,
    /// cut it off from its report, or take back its own memory (such calls are counted in Skipped); exec
    /// is made in a child of a fork, and a fuzzed fork's child ends at once.
    /// </summary>
    public static unsafe partial class RandomCalls
    {
        // What the fuzzer's threads do: a syscall or two, then end (so that joins of them end too).
        private static int ThreadBody(ulong argument)
        {
            if (argument % 3 == 0) Sys.Yield();
            return (int)argument;
        }

        /// <summary>
        /// Makes the call, or skips it (returns false) if it could block for ever: a read of an empty
        /// pipe or the console, a write that would fill a pipe, a long sleep, a thread on a stack in use;
        /// or if it would cut the fuzzer off from its parent or shrink the fuzzer's own memory.
        /// </summary>
        public static bool Make(ref FuzzCall call, out long result)
        {
            result = 0;
            ulong a0 = Resolve(call.A0), a1 = Resolve(call.A1), a2 = Resolve(call.A2);
            bool cutsReport = call.Number == SyscallNumbers.Close && a0 == (ulong)ReportDescriptor
                           || call.Number == SyscallNumbers.Duplicate && a1 == (ulong)ReportDescriptor;
            if (cutsReport || KnownBugs.SkipEmptyString && PassesEmptyString(call) || MightBlock(call, a0, a1, a2) || call.Number == SyscallNumbers.Sbrk && !SbrkIsSafe((long)a0)) { Skipped++; return false; }
            int slot = call.Number == SyscallNumbers.ThreadCreate && call.A1.Kind == ArgumentKind.ThreadStack && call.A1.Value < FuzzMemory.ThreadStacks ? (int)call.A1.Value : -1;
            if (slot >= 0 && s_slotThread[slot] != 0) { Skipped++; return false; }

            if (call.Number == SyscallNumbers.Exec) result = ExecInChild(a0, a1, a2, Resolve(call.A3), Resolve(call.A4), Resolve(call.A5));
            else result = Sys.Call(call.Number, a0, a1, a2, Resolve(call.A3), Resolve(call.A4), Resolve(call.A5));
            if (call.Number == SyscallNumbers.Fork && result == 0) Sys.Exit(0);     // a fuzzed fork's child ends at once

            if (slot >= 0 && result > 0) s_slotThread[slot] = result;
            if (call.Number == SyscallNumbers.ThreadJoin && result >= 0)
                for (int i = 0; i < s_slotThread.Length; i++)
                    if (s_slotThread[i] == (long)a0) s_slotThread[i] = 0;
            if (call.Number == SyscallNumbers.Sbrk && result >= 0) s_grown += (long)a0;
            return true;
        }

        private const int ExecRefused = 200;     // a child's exit status: 200 + the errno its exec got

        /// <summary>
        /// exec replaces the program that makes it, so the fuzzer makes it in a child of a fork, whose
        /// stdout is the quiet pipe (its stderr) so that a program it starts cannot write into the report.
        /// The result: exec's error, from the child's exit status, or 0 if the program ran.
        /// </summary>
        private static long ExecInChild(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
        {
            long pid = Sys.Fork();
            if (pid < 0) return pid;
            if (pid == 0)
            {
                Sys.Duplicate(2, 1);
                long refused = Sys.Call(SyscallNumbers.Exec, a0, a1, a2, a3, a4, a5);
                Sys.Exit(ExecRefused + (int)-refused);
            }
            Sys.Wait((int)pid, out int status);
            return status >= ExecRefused ? -(status - ExecRefused) : 0;
        }

        // A string argument that points at a 0 in the buffer is "" too (the buffer holds what reads put
        // there), and so is one just past it once fuzzed sbrk calls have mapped zeroed pages there.
        private static bool PassesEmptyString(FuzzCall call)
        {
            Argument text = call.Number == SyscallNumbers.Open || call.Number == SyscallNumbers.Spawn || call.Number == SyscallNumbers.Exec ? call.A0
                          : call.Number == SyscallNumbers.ThreadCreate ? call.A4 : default;
            bool mapped = text.Value < (ulong)(FuzzMemory.BufferSize + s_grown);
            return text.Kind == ArgumentKind.Buffer && mapped && *(byte*)Resolve(text) == 0;
        }

        private const int PipeCapacity = 4096;      // kernel/Fs/Pipe.cs: a write of more than the room left waits
        private const int SocketKind = 8;           // kernel/Fs/FileKind.cs
        private const int VirtualMachineKind = 9;   // kernel/Fs/FileKind.cs

        private static bool MightBlock(FuzzCall call, ulong a0, ulong a1, ulong a2)
        {
            switch (call.Number)
            {
                case SyscallNumbers.Sleep: return (long)a0 > 5;
                case SyscallNumbers.Wait: return false;           // its children all end on their own
                case SyscallNumbers.Read: case SyscallNumbers.Write: case SyscallNumbers.SendTo: case SyscallNumbers.ReceiveFrom:
                    if (a2 == 0 || Sys.FileStatus((int)a0, out FileStatus status) < 0) return false;
                    if (status.Kind == 3) return true;            // the console: a read waits for a key
                    // A socket: a read waits for data (Size: what is waiting); a write may wait for room
                    // that never comes (nobody reads the fuzzer's connections), so writes to sockets are left out.
                    if (status.Kind == SocketKind) return call.Number == SyscallNumbers.Read || call.Number == SyscallNumbers.ReceiveFrom ? status.Size == 0 : true;
                    if (call.Number == SyscallNumbers.SendTo || call.Number == SyscallNumbers.ReceiveFrom) return false;
                    if (status.Kind != 4) return false;
                    return call.Number == SyscallNumbers.Read ? status.Size == 0 : a2 > PipeCapacity || status.Size + (long)a2 > PipeCapacity;
                case SyscallNumbers.Accept:
                    // On a listening socket it waits for a connection: made only on what is not a socket.
                    return Sys.FileStatus((int)a0, out FileStatus socket) == 0 && socket.Kind == SocketKind;
                case SyscallNumbers.Connect:
                    // TCP's handshake to a host that does not answer waits a minute: only the loopback
                    // network, where a SYN is answered (or refused) at once.
                    return (a1 >> 24) != 127;
                case SyscallNumbers.MessageQueueSend: case SyscallNumbers.MessageQueueReceive:
                    // A blocking descriptor waits on a full queue (send) or an empty one (receive), for ever here.
                    if (Sys.MessageQueueStatus((int)a0, out MessageQueueAttributes queue) < 0 || (queue.Flags & MessageQueueFlags.NonBlocking) != 0) return false;
                    return call.Number == SyscallNumbers.MessageQueueReceive ? queue.CurrentMessages == 0 : queue.CurrentMessages == queue.MaximumMessages;
                case SyscallNumbers.VmRun:
                    // A guest of random bytes may loop for ever (the test's endless guest is killed; here nothing would).
                    return Sys.FileStatus((int)a0, out FileStatus machine) >= 0 && machine.Kind == VirtualMachineKind;
                default: return false;
            }
        }

        // A shrink may take back only what fuzzed calls added: below that is the fuzzer's own memory.
        // Shrinks the kernel must refuse (below the start of the heap, or wrapping) are made too.
        private static bool SbrkIsSafe(long increment) =>
            increment >= 0 || -increment <= s_grown || increment < -(long)FuzzMemory.Buffer;
    }
}
