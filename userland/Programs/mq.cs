using System;
using Abi;
using TeachOS;

/// <summary>
/// mq: message queues from the shell (kernel/Ipc/, docs/guide/10-namespaces.md).
/// <code>
///   mq create NAME [MESSAGES SIZE]   make a queue (default 10 messages of 1024 bytes)
///   mq send NAME TEXT...             send the words as one message (waits while the queue is full)
///   mq receive NAME [-n]             print the oldest message (waits while empty; -n: don't wait)
///   mq unlink NAME                   remove the name (the queue goes with its last descriptor)
///   mq stat [NAME]                   the queue's sizes and messages; the IPC namespace's queues and bytes
/// </code>
/// A queue outlives the program that made it: its name stays in the IPC namespace until unlinked, so one
/// `mq send` and a later `mq receive` meet there. `unshare -i sh` starts a shell that sees none of them.
/// </summary>
public static class MessageQueueProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "stat" && args.Length < 2) return Usage();
        switch (args[0])
        {
            case "create": return Create(args);
            case "send": return Send(args);
            case "receive": return Receive(args);
            case "unlink": return Report(args[1], Sys.MessageQueueUnlink(args[1]));
            case "stat": return Status(args);
            default: return Usage();
        }
    }

    private static int Create(string[] args)
    {
        int messages = 0, size = 0;
        if (args.Length == 4 && (!int.TryParse(args[2], out messages) || !int.TryParse(args[3], out size))) return Usage();
        if (args.Length != 2 && args.Length != 4) return Usage();
        long descriptor = Sys.MessageQueueOpen(args[1], OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Exclusive, messages, size);
        if (descriptor < 0) return Report(args[1], descriptor);
        Sys.Close((int)descriptor);
        return 0;
    }

    private static int Send(string[] args)
    {
        if (args.Length < 3) return Usage();
        long descriptor = Sys.MessageQueueOpen(args[1], OpenFlags.WriteOnly, 0, 0);
        if (descriptor < 0) return Report(args[1], descriptor);
        string text = args[2];
        for (int i = 3; i < args.Length; i++) text = text + " " + args[i];
        byte[] message = new byte[text.Length];
        for (int i = 0; i < text.Length; i++) message[i] = (byte)text[i];
        long sent = Sys.MessageQueueSend((int)descriptor, message);
        Sys.Close((int)descriptor);
        return Report(args[1], sent);
    }

    private static int Receive(string[] args)
    {
        bool wait = !(args.Length == 3 && args[2] == "-n");
        if (args.Length > 3 || args.Length == 3 && wait) return Usage();
        long descriptor = Sys.MessageQueueOpen(args[1], OpenFlags.ReadOnly | (wait ? 0 : MessageQueueFlags.NonBlocking), 0, 0);
        if (descriptor < 0) return Report(args[1], descriptor);
        Sys.MessageQueueStatus((int)descriptor, out MessageQueueAttributes attributes);
        byte[] buffer = new byte[attributes.MaximumMessageSize];    // a receive needs room for the largest message
        long length = Sys.MessageQueueReceive((int)descriptor, buffer);
        Sys.Close((int)descriptor);
        if (length < 0) return Report(args[1], length);
        Sys.Write(Console.StandardOutput, new ReadOnlySpan<byte>(buffer, 0, (int)length));
        Console.WriteLine();
        return 0;
    }

    private static int Status(string[] args)
    {
        if (args.Length > 2) return Usage();
        if (args.Length == 2)
        {
            long descriptor = Sys.MessageQueueOpen(args[1], OpenFlags.ReadOnly, 0, 0);
            if (descriptor < 0) return Report(args[1], descriptor);
            Sys.MessageQueueStatus((int)descriptor, out MessageQueueAttributes attributes);
            Sys.Close((int)descriptor);
            Console.WriteLine(args[1] + ": " + attributes.CurrentMessages + " of " + attributes.MaximumMessages
                              + " messages, up to " + attributes.MaximumMessageSize + " bytes each");
        }
        Sys.IpcUsage(out IpcUsage usage);
        Console.WriteLine("this IPC namespace: " + usage.NamesHere + " names, " + usage.QueuesHere + " queues, "
                          + usage.BytesHere + " bytes (at most " + MessageQueueLimits.QueuesPerNamespace + " queues, "
                          + MessageQueueLimits.BytesPerNamespace + " bytes)");
        Console.WriteLine("all: " + usage.Namespaces + " IPC namespaces, " + usage.QueuesEverywhere + " queues, "
                          + usage.BytesEverywhere + " bytes");
        return 0;
    }

    private static int Report(string name, long result)
    {
        if (result >= 0) return 0;
        Files.ReportError("mq", name, result);
        return 1;
    }

    private static int Usage()
    {
        Console.Error("usage: mq create NAME [MESSAGES SIZE] | send NAME TEXT... | receive NAME [-n] | unlink NAME | stat [NAME]\n");
        return 2;
    }
}
