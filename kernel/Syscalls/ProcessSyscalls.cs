using Proc;
using System;
using Abi;
using Arch.X64;
using Mem;
using Sched;
using Namespaces;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>Handlers for process syscalls: exit, getpid, getppid, spawn, fork, exec, wait, kill, sbrk.</summary>
    [SyscallHandlers]
    public static unsafe class ProcessSyscalls
    {
        public const int KilledStatus = 137;            // 128 + SIGKILL, as a shell reports it

        private static Process Current => Process.Current;

        /// <summary>exit(status): ends the whole process. Does not return.</summary>
        public static long Exit(int status)
        {
            Processes.ExitThread(status & 0xFF, wholeProcess: true);
            return 0;
        }

        /// <summary>getpid: the caller's pid in its own PID namespace (Namespaces/PidNamespace.cs): 1 for a namespace's init.</summary>
        /// Its own namespace is the innermost it is numbered in, so that pid is the last of its pids
        /// (ProcessPids.NumberLocked gives one per level): no walk up the namespaces, so getpid stays
        /// the cheapest round trip there is (the syscall-roundtrip budget measures it).
        public static long GetPid()
        {
            int[] pids = Current.Pids;
            return pids[pids.Length - 1];
        }

        /// <summary>getppid: the parent's pid as the caller's namespace numbers it; 0 when the parent is outside it.</summary>
        public static long GetParentPid()
        {
            Process parent = Current.Parent;
            return parent == null ? 0 : ProcessPids.PidIn(parent, Current.PidNamespace);
        }

        /// <summary>
        /// spawn(path, argv, input, output, error): starts the program at path in a new child process,
        /// with argv (a null-terminated array of string pointers) as its arguments and the caller's
        /// descriptors input, output and errorOutput as its 0, 1 and 2. Returns the child's pid.
        /// </summary>
        public static long Spawn(UserString path, UserPointer<ulong> argv, int input, int output, int errorOutput)
        {
            Fs.OpenFile stdin = Current.Files.Acquire(input), stdout = Current.Files.Acquire(output), stderr = Current.Files.Acquire(errorOutput);
            long result = stdin == null || stdout == null || stderr == null ? -Errno.EBADF : Spawn(path, argv, stdin, stdout, stderr);
            stdin?.Release();
            stdout?.Release();
            stderr?.Release();
            return result;
        }

        private static long Spawn(UserString path, UserPointer<ulong> argv, Fs.OpenFile stdin, Fs.OpenFile stdout, Fs.OpenFile stderr)
        {
            long result = ReadProgram(path, argv, out string program, out string[] arguments);
            if (result == 0) result = Processes.Spawn(program, arguments, Current, stdin, stdout, stderr);
            // The arguments were copied onto the child's stack and the path into the child's image.
            FreeProgram(program, arguments);
            return AfterAllocation(result);
        }

        /// <summary>fork(): copies the calling process (Proc/ProcessFork.cs). The child's pid here, 0 in the child.</summary>
        public static long Fork() => AfterAllocation(ProcessFork.Copy(Current, Scheduler.Current.UserFrame));

        /// <summary>
        /// A syscall that allocates user memory passes its result here: -ENOMEM may have come from a
        /// control group's memory.max, whose OOM kill then runs (Cgroups/GroupOutOfMemory.cs).
        /// </summary>
        internal static long AfterAllocation(long result)
        {
            if (result == -Errno.ENOMEM) Cgroups.GroupOutOfMemory.RelieveAfterRefusal(Current);
            return result;
        }

        /// <summary>
        /// exec(path, argv): runs the program at path in this process, with argv as its arguments
        /// (Proc/ProcessExec.cs). Returns only on an error; then nothing has changed.
        /// </summary>
        public static long Exec(UserString path, UserPointer<ulong> argv)
        {
            long result = ReadProgram(path, argv, out string program, out string[] arguments);
            if (result == 0) result = ProcessExec.Replace(Current, program, arguments, null, Scheduler.Current.UserFrame);
            // The arguments are on the new program's stack by now, the path in its image: ours are freed.
            FreeProgram(program, arguments);
            return AfterAllocation(result);
        }

        /// <summary>
        /// execve(path, argv, envp): exec with an environment, envp a null-terminated array of "NAME=value"
        /// strings put on the new program's stack after argv (Loader/ProgramLoader.cs). -E2BIG past
        /// ProgramLoader.MaximumEnvironment strings or when they and the arguments outgrow a page.
        /// </summary>
        public static long ExecWithEnvironment(UserString path, UserPointer<ulong> argv, UserPointer<ulong> envp)
        {
            long result = ReadProgram(path, argv, out string program, out string[] arguments);
            string[] environment = null;
            if (result == 0) result = ReadStrings(envp, Loader.ProgramLoader.MaximumEnvironment, out environment);
            if (result == 0) result = ProcessExec.Replace(Current, program, arguments, environment, Scheduler.Current.UserFrame);
            FreeProgram(program, arguments);
            FreeProgram(null, environment);
            return result;
        }

        /// <summary>
        /// Copies a program's path and argv (a null-terminated array of string pointers) in from the
        /// caller: 0, or -EFAULT for a bad pointer, -E2BIG for too many or too long arguments. On success
        /// the kernel owns both; FreeProgram frees them (it is called either way).
        /// </summary>
        private static long ReadProgram(UserString path, UserPointer<ulong> argv, out string program, out string[] arguments)
        {
            arguments = null;
            program = UserMemory.ReadString(Current.AddressSpace, path, out long error);
            if (program == null) return error;
            return ReadStrings(argv, ProgramArgumentsLimit, out arguments);
        }

        /// <summary>
        /// A null-terminated array of string pointers (argv, envp), copied in: 0, -EFAULT, or -E2BIG past
        /// <paramref name="limit"/> strings or for one too long. The array holds what was read, on an error too
        /// (FreeProgram frees each).
        /// </summary>
        private static long ReadStrings(UserPointer<ulong> list, int limit, out string[] strings)
        {
            string[] read = new string[limit];
            int count = 0;
            long result = 0;
            while (true)
            {
                if (!UserMemory.Read(Current.AddressSpace, UserMemory.Element(list, count), out ulong pointer))
                {
                    result = -Errno.EFAULT;
                    break;
                }
                if (pointer == 0) break;
                if (count == limit) { result = -Errno.E2BIG; break; }
                string text = UserMemory.ReadString(Current.AddressSpace, new UserString(pointer), out long error);
                if (text == null) { result = error == -Errno.ENAMETOOLONG ? -Errno.E2BIG : error; break; }
                read[count++] = text;
            }
            strings = new string[count];
            for (int i = 0; i < count; i++) strings[i] = read[i];
            KernelHeap.Free(read);
            return result;
        }

        private static void FreeProgram(string program, string[] arguments)
        {
            if (arguments != null)
            {
                for (int i = 0; i < arguments.Length; i++) KernelHeap.Free(arguments[i]);
                KernelHeap.Free(arguments);
            }
            if (program != null) KernelHeap.Free(program);
        }

        private const int ProgramArgumentsLimit = Loader.ProgramLoader.MaximumArguments;

        /// <summary>wait(pid, &amp;status): collects an exited child (pid -1: any). Returns its pid.</summary>
        public static long Wait(int pid, UserPointer<int> status)
        {
            long result = Processes.Wait(Current, pid, out int exitStatus);
            if (result > 0 && !status.IsNull && !UserMemory.Write(Current.AddressSpace, status, exitStatus))
                return -Errno.EFAULT;
            return result;
        }

        /// <summary>kill(pid): ends another process (status 137, as if by SIGKILL).</summary>
        public static long Kill(int pid) => Processes.Kill(pid, KilledStatus, Current.Credentials, Current.PidNamespace);

        /// <summary>
        /// sbrk(increment): moves the end of the heap by increment bytes (mapping or unmapping pages) and
        /// returns the old end; sbrk(0) tells where it is. -ENOMEM past the heap's limit.
        /// </summary>
        public static long Sbrk(long increment) => AfterAllocation(ProgramBreak.Move(Current, increment));
    }
}
