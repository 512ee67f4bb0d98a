namespace Drivers
{
    /// <summary>
    /// A fixed-size ring buffer of input bytes: interrupt handlers put (keyboard, serial), readers take.
    /// It never allocates, so an interrupt handler can use it. When full, new bytes are dropped and
    /// counted, rather than overwriting what the reader has not seen.
    /// Not safe against concurrent use by itself: the kernel takes bytes with interrupts off
    /// (Drivers/ConsoleInput.cs), so a handler cannot run in the middle of a Take.
    /// </summary>
    public sealed class InputQueue
    {
        private readonly byte[] _buffer;
        private int _head;      // next byte to take
        private int _count;

        public InputQueue(int capacity) => _buffer = new byte[capacity];

        public int Count => _count;
        public int Capacity => _buffer.Length;
        public ulong Dropped { get; private set; }

        public bool Put(byte value)
        {
            if (_count == _buffer.Length)
            {
                Dropped++;
                return false;
            }
            _buffer[(_head + _count) % _buffer.Length] = value;
            _count++;
            return true;
        }

        public bool TryTake(out byte value)
        {
            if (_count == 0)
            {
                value = 0;
                return false;
            }
            value = _buffer[_head];
            _head = (_head + 1) % _buffer.Length;
            _count--;
            return true;
        }
    }
}
