using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// The message queues pushed to their limits (kernel/Ipc/): many IPC namespaces at once, each filled with
    /// queues of the largest size until mq_open says -ENOSPC (or -ENOMEM), each process then killed while it
    /// waits in mq_receive. Every queue and namespace must be gone afterwards (ipcusage), and nothing may panic.
    /// </summary>
    public static unsafe class IpcScenarios
    {
        private const int Namespaces = 12;

        public static bool Queues()
        {
            Sys.IpcUsage(out IpcUsage before);
            Sys.Pipe(out PipeDescriptors ready);
            var children = new long[Namespaces];
            for (int i = 0; i < children.Length; i++)
            {
                children[i] = Sys.Fork();
                if (children[i] == 0) Sys.Exit(FillAndWait(ready.Write));
            }
            Sys.Close(ready.Write);
            int waiting = 0;
            byte got;
            while (waiting < children.Length && Sys.Read(ready.Read, new Span<byte>(&got, 1)) == 1) waiting++;
            Sys.Close(ready.Read);
            Sys.IpcUsage(out IpcUsage full);
            int killed = 0;
            foreach (long pid in children)
            {
                if (pid <= 0) continue;
                Sys.Kill((int)pid);
                if (Sys.Wait((int)pid, out int status) == pid && status == 137) killed++;
            }
            Sys.IpcUsage(out IpcUsage after);
            ExhaustionScenarios.Report("queues: " + waiting + " IPC namespaces filled (" + full.QueuesEverywhere + " queues, " + full.BytesEverywhere / 1024
                + " KiB), " + killed + " receivers killed while waiting; after: " + after.QueuesEverywhere + " queues, " + after.Namespaces + " namespaces");
            return waiting == children.Length && killed == children.Length && after.QueuesEverywhere == before.QueuesEverywhere
                && after.BytesEverywhere == before.BytesEverywhere && after.Namespaces == before.Namespaces;
        }

        // In a new IPC namespace: the largest queues until refused, then a wait in mq_receive that only a kill ends.
        private static int FillAndWait(int ready)
        {
            if (Sys.Unshare(NamespaceFlags.Ipc) != 0) return 1;
            long last = 0, error = 0;
            for (int i = 0; error == 0 && i < 100; i++)
            {
                long queue = Sys.MessageQueueOpen("/fill" + i, OpenFlags.ReadWrite | OpenFlags.Create,
                                                  MessageQueueLimits.MaximumMessages, MessageQueueLimits.MaximumMessageSize);
                if (queue < 0) error = queue; else last = queue;
                if (i % 2 == 1 && queue >= 0) Sys.MessageQueueUnlink("/fill" + i);     // unlinked but open: still counted
            }
            if (error != -Errno.ENOSPC && error != -Errno.ENOMEM || last == 0) return 2;
            byte one = 1;
            Sys.Write(ready, new ReadOnlySpan<byte>(&one, 1));
            byte[] buffer = new byte[MessageQueueLimits.MaximumMessageSize];
            Sys.MessageQueueReceive((int)last, buffer);            // empty: waits until killed
            return 3;
        }
    }
}
