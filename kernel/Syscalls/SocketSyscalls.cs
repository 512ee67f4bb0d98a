using System;
using Abi;
using Fs;
using Mem;
using Net.Sockets;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// The socket calls (140-149): each finds the caller's descriptor, checks it is a socket (-ENOTSOCK)
    /// and hands the rest to Net/Sockets/Socket.cs. Data crosses the boundary in chunks through a
    /// kernel buffer, as for read and write; addresses come back through UserPointer, checked
    /// before anything is done, so a bad pointer (-EFAULT) leaves no new descriptor behind.
    /// </summary>
    [SyscallHandlers]
    public static unsafe class SocketSyscalls
    {
        private const int ChunkSize = 2048;
        private static Process Current => Process.Current;

        /// <summary>socket(domain, type, protocol): a new socket descriptor.</summary>
        public static long Socket(int domain, int type, int protocol)
        {
            if (domain != SocketDomain.Inet) return -Errno.EAFNOSUPPORT;
            if (type != SocketType.Stream && type != SocketType.Datagram) return -Errno.EINVAL;
            int expected = type == SocketType.Stream ? Net.TransportChecksum.ProtocolTcp : Net.TransportChecksum.ProtocolUdp;
            if (protocol != 0 && protocol != expected) return -Errno.EPROTONOSUPPORT;
            Net.NetworkStack stack = NetworkSyscalls.HoldStack(Current);   // the socket lives in the caller's network namespace
            var socket = new Net.Sockets.Socket(type, stack);
            Net.NetworkNamespaces.Release(stack);
            int descriptor = Current.Files.Add(socket);
            if (descriptor < 0) { socket.Release(); return -Errno.EMFILE; }
            return descriptor;
        }

        public static long Bind(int descriptor, uint address, int port)
        {
            Net.Sockets.Socket socket = Acquire(descriptor, out long error);
            if (socket == null) return error;
            long result = socket.Bind(address, port);
            socket.Release();
            return result;
        }

        public static long Listen(int descriptor, int backlog)
        {
            Net.Sockets.Socket socket = Acquire(descriptor, out long error);
            if (socket == null) return error;
            long result = socket.Listen(backlog);
            socket.Release();
            return result;
        }

        public static long Accept(int descriptor, UserPointer<SocketAddress> peer)
        {
            if (!UserMemory.Write(Current.AddressSpace, peer, default)) return -Errno.EFAULT;
            Net.Sockets.Socket socket = Acquire(descriptor, out long error);
            if (socket == null) return error;
            long result = socket.Accept(out Net.Sockets.Socket accepted, out SocketAddress address);
            socket.Release();
            if (result < 0) return result;
            result = Current.Files.Add(accepted);
            if (result < 0) { accepted.Release(); return -Errno.EMFILE; }
            if (!UserMemory.Write(Current.AddressSpace, peer, address)) { Current.Files.Close((int)result); return -Errno.EFAULT; }
            return result;
        }

        public static long Connect(int descriptor, uint address, int port)
        {
            Net.Sockets.Socket socket = Acquire(descriptor, out long error);
            if (socket == null) return error;
            long result = socket.Connect(address, port);
            socket.Release();
            return result;
        }

        /// <summary>sendto(fd, data, address, port): one datagram (UDP), or a write (TCP).</summary>
        public static long SendTo(int descriptor, UserBuffer data, uint address, int port)
        {
            if (!UserMemory.InUserSpace(data)) return -Errno.EFAULT;
            if (data.Length > ChunkSize) return -Errno.EMSGSIZE;
            Net.Sockets.Socket socket = Acquire(descriptor, out long error);
            if (socket == null) return error;
            int size = (int)data.Length;
            byte* chunk = stackalloc byte[size == 0 ? 1 : size];
            long result = UserMemory.CopyIn(Current.AddressSpace, data, new Span<byte>(chunk, size))
                ? socket.SendTo(new ReadOnlySpan<byte>(chunk, size), address, port) : -Errno.EFAULT;
            socket.Release();
            return result;
        }

        /// <summary>recvfrom(fd, buffer, &amp;sender): one datagram and who sent it (UDP), or a read (TCP).</summary>
        public static long ReceiveFrom(int descriptor, UserBuffer buffer, UserPointer<SocketAddress> sender)
        {
            if (!UserMemory.InUserSpace(buffer)) return -Errno.EFAULT;
            if (!UserMemory.Write(Current.AddressSpace, sender, default)) return -Errno.EFAULT;
            Net.Sockets.Socket socket = Acquire(descriptor, out long error);
            if (socket == null) return error;
            int size = (int)(buffer.Length < ChunkSize ? buffer.Length : ChunkSize);
            byte* chunk = stackalloc byte[size == 0 ? 1 : size];
            long result = socket.ReceiveFrom(new Span<byte>(chunk, size), out SocketAddress from);
            socket.Release();
            if (result < 0) return result;
            if (!UserMemory.CopyOut(Current.AddressSpace, buffer, new ReadOnlySpan<byte>(chunk, (int)result))
                || !UserMemory.Write(Current.AddressSpace, sender, from))
                return -Errno.EFAULT;
            return result;
        }

        public static long Shutdown(int descriptor, int how)
        {
            Net.Sockets.Socket socket = Acquire(descriptor, out long error);
            if (socket == null) return error;
            long result = socket.Shutdown(how);
            socket.Release();
            return result;
        }

        public static long GetSocketName(int descriptor, UserPointer<SocketAddress> local) => Name(descriptor, false, local);

        public static long GetPeerName(int descriptor, UserPointer<SocketAddress> peer) => Name(descriptor, true, peer);

        private static long Name(int descriptor, bool peer, UserPointer<SocketAddress> destination)
        {
            Net.Sockets.Socket socket = Acquire(descriptor, out long error);
            if (socket == null) return error;
            long result = socket.Name(peer, out SocketAddress name);
            socket.Release();
            if (result < 0) return result;
            return UserMemory.Write(Current.AddressSpace, destination, name) ? 0 : -Errno.EFAULT;
        }

        /// <summary>The socket behind a descriptor, with a reference the caller releases; null and -EBADF or -ENOTSOCK.</summary>
        private static Net.Sockets.Socket Acquire(int descriptor, out long error)
        {
            error = 0;
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) { error = -Errno.EBADF; return null; }
            if (file is Net.Sockets.Socket socket) return socket;
            file.Release();
            error = -Errno.ENOTSOCK;
            return null;
        }
    }
}
