using System;

namespace Fs
{
    /// <summary>
    /// /dev/console (and /dev/tty, a second name for it: on Unix /dev/tty is a process's own terminal,
    /// and TeachOS has only the one): the console as a device file. A read waits for a typed line and
    /// a write prints, exactly as on descriptor 0 (the same code: Fs/ConsoleFile.cs), so a program whose
    /// standard input is a pipe or a file can still talk to the person at the keyboard.
    /// </summary>
    public sealed class ConsoleDevice : DeviceNode
    {
        // Descriptor 0's kind of open file, kept for ever: it holds no state of its own (the typed
        // characters wait in Drivers/ConsoleInput.cs), so every reader of the console can share one.
        private static readonly ConsoleFile s_console = new ConsoleFile();

        public ConsoleDevice(ulong inode) : base(inode) { }

        public override bool IsTerminal => true;

        public override long ReadAt(long offset, Span<byte> destination) => s_console.Read(destination);

        public override long WriteAt(long offset, ReadOnlySpan<byte> source) => s_console.Write(source);
    }
}
