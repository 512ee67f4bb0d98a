using System;
using Fs;

namespace Ipc
{
    /// <summary>
    /// A message queue as a file descriptor sees it: the queue, and what this descriptor may do (send,
    /// receive, wait). Being an OpenFile is what makes a queue work with the descriptor table as a pipe end
    /// does: fork shares it, spawn and dup2 pass it on, close and exit release it, and the queue is freed
    /// with its last descriptor once its name is gone (Ipc/IpcNamespace.cs). read and write are refused
    /// (-EBADF): a queue keeps message boundaries, which a byte stream would lose; mq_send and mq_receive
    /// are its calls.
    /// </summary>
    public sealed class MessageQueueDescriptor : OpenFile
    {
        public readonly MessageQueue Queue;
        private readonly bool _canSend, _canReceive, _nonBlocking;

        /// <summary>Takes over the caller's reference to <paramref name="queue"/> (IpcNamespace.Open's).</summary>
        public MessageQueueDescriptor(MessageQueue queue, bool canSend, bool canReceive, bool nonBlocking)
        {
            Queue = queue;
            _canSend = canSend;
            _canReceive = canReceive;
            _nonBlocking = nonBlocking;
        }

        public override FileKind Kind => FileKind.MessageQueue;

        /// <summary>fstat's size: the messages waiting.</summary>
        public override long Size => Queue.Count;

        public long Send(ReadOnlySpan<byte> message) => _canSend ? Queue.Send(message, _nonBlocking) : -Abi.Errno.EBADF;

        public long Receive(Span<byte> into) => _canReceive ? Queue.Receive(into, _nonBlocking) : -Abi.Errno.EBADF;

        public Abi.MessageQueueAttributes Attributes => new Abi.MessageQueueAttributes
        {
            Flags = _nonBlocking ? Abi.MessageQueueFlags.NonBlocking : 0,
            MaximumMessages = Queue.MaximumMessages,
            MaximumMessageSize = Queue.MaximumMessageSize,
            CurrentMessages = Queue.Count,
        };

        protected override void Closed() => IpcNamespace.Release(Queue);
    }
}
