namespace Drivers
{
    /// <summary>
    /// Turns PS/2 scancodes (set 1, what the keyboard controller delivers by default) into characters,
    /// tracking Shift, Ctrl and Caps Lock. A key press sends its code; its release sends the code with
    /// bit 7 set. Keys with two-byte codes start with 0xE0 (arrows, right Ctrl...). US layout.
    /// Pure logic: the host tests feed it scancodes.
    /// </summary>
    public sealed class KeyboardLayout
    {
        private const byte ReleaseBit = 0x80;
        private const byte ExtendedPrefix = 0xE0;
        private const byte LeftShift = 0x2A, RightShift = 0x36, Control = 0x1D, CapsLock = 0x3A;

        // Index = scancode; 0 = no character. Rows of the keyboard, top to bottom.
        private const string Plain =
            "\0\x1b" + "1234567890-=\b" +
            "\tqwertyuiop[]\n" +
            "\0asdfghjkl;'`" +
            "\0\\zxcvbnm,./\0" +
            "*\0 ";
        private const string Shifted =
            "\0\x1b" + "!@#$%^&*()_+\b" +
            "\tQWERTYUIOP{}\n" +
            "\0ASDFGHJKL:\"~" +
            "\0|ZXCVBNM<>?\0" +
            "*\0 ";

        private bool _shift, _control, _capsLock, _extended;

        /// <summary>Feeds one scancode byte; returns the character it produces, or 0 for none.</summary>
        public char Translate(byte scancode)
        {
            if (scancode == ExtendedPrefix) { _extended = true; return '\0'; }
            bool extended = _extended;
            _extended = false;

            bool released = (scancode & ReleaseBit) != 0;
            byte key = (byte)(scancode & ~ReleaseBit);
            if (key == LeftShift || key == RightShift) { _shift = !released; return '\0'; }
            if (key == Control) { _control = !released; return '\0'; }
            if (released || extended) return '\0';
            if (key == CapsLock) { _capsLock = !_capsLock; return '\0'; }
            if (key >= Plain.Length) return '\0';

            char c = Plain[key];
            if (c >= 'a' && c <= 'z')
            {
                if (_control) return (char)(c - 'a' + 1);        // Ctrl-A = 1 ... Ctrl-Z = 26
                return _shift != _capsLock ? Shifted[key] : c;
            }
            return _shift ? Shifted[key] : c;
        }
    }
}
