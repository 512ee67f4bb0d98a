using System;
using Drivers;
using Terminal;

namespace Fs
{
    /// <summary>
    /// The console as a file: descriptors 0, 1 and 2 of the first process. Writing prints. Reading
    /// returns one line at a time, edited the way a terminal user expects: characters are echoed as
    /// they are read, Backspace erases, Enter ends the line, Ctrl-D at the start of a line is end of file.
    /// /dev/console and /dev/tty (Fs/Devices/ConsoleDevice.cs) read and write through one of these, so a
    /// program that opens them sees exactly what descriptor 0 sees.
    /// </summary>
    public sealed class ConsoleFile : OpenFile
    {
        private const byte Backspace = 0x08, Delete = 0x7F, EndOfFile = 0x04;

        public override FileKind Kind => FileKind.Console;

        public override long Write(ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length; i++) Console.Write((char)data[i]);
            return data.Length;
        }

        public override long Read(Span<byte> buffer)
        {
            int count = 0;
            while (count < buffer.Length)
            {
                if (!ConsoleInput.Take(out byte value)) return count > 0 ? count : -Abi.Errno.EINTR;
                if (value == Backspace || value == Delete)
                {
                    if (count > 0)
                    {
                        count--;
                        Console.Write("\b \b");
                    }
                    continue;
                }
                if (value == EndOfFile)
                {
                    if (count == 0) return 0;
                    break;
                }
                if (value == (byte)'\r') value = (byte)'\n';
                Console.Write((char)value);
                buffer[count++] = value;
                if (value == (byte)'\n') break;
            }
            return count;
        }
    }
}
