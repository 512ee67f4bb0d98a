using Mem;

namespace Proc
{
    public static partial class Processes
    {
        /// <summary>Returns the memory of a process that is in no list (collected, or never added: a failed spawn or fork).</summary>
        internal static void Free(Process process)
        {
            // Each string here is this process's own copy (Proc/Process.cs): each is freed once.
            KernelHeap.Free(process.Name);
            if (process.Image != null)
            {
                KernelHeap.Free(process.Image.Path);
                process.Image.File?.Close();                    // closed at exit already, but not after a failed fork
                KernelHeap.Free(process.Image);
            }
            process.Files?.Free();
            process.PidNamespace?.Release();
            if (process.Pids != null) KernelHeap.Free(process.Pids);
            process.Credentials.Free();
            KernelHeap.Free(process.ChildExited);
            process.MemoryLock.Free();
            process.Mappings.Free();
            KernelHeap.Free(process);
        }
    }
}
