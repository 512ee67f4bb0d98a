using Arch.X64;

namespace Terminal
{
    /// <summary>
    /// The VGA text screen: 80 x 25 cells at physical address 0xB8000, each cell a character byte
    /// and a colour byte. What you see in QEMU's window. Scrolls when the last line is full.
    /// </summary>
    public static unsafe class VgaText
    {
        private const int Columns = 80;
        private const int Rows = 25;
        private const ulong PhysicalAddress = 0xB8000;
        private const byte LightGreyOnBlack = 0x07;

        private static int s_row;
        private static int s_column;

        private static ushort* Screen => (ushort*)DirectMap.ToVirtual(PhysicalAddress);

        public static void Clear()
        {
            for (int i = 0; i < Columns * Rows; i++) Screen[i] = Cell(' ');
            s_row = 0;
            s_column = 0;
        }

        public static void Write(char c)
        {
            if (c == '\n')
            {
                NewLine();
                return;
            }
            if (c == '\r') { s_column = 0; return; }
            if (c == '\b') { if (s_column > 0) Screen[s_row * Columns + --s_column] = Cell(' '); return; }
            Screen[s_row * Columns + s_column] = Cell(c);
            if (++s_column == Columns) NewLine();
        }

        private static void NewLine()
        {
            s_column = 0;
            if (++s_row < Rows) return;
            for (int i = 0; i < Columns * (Rows - 1); i++) Screen[i] = Screen[i + Columns];
            for (int i = 0; i < Columns; i++) Screen[(Rows - 1) * Columns + i] = Cell(' ');
            s_row = Rows - 1;
        }

        private static ushort Cell(char c) => (ushort)((LightGreyOnBlack << 8) | (c < 0x80 ? c : '?'));
    }
}
