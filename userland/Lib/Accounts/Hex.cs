using System;

namespace TeachOS
{
    /// <summary>Bytes as lower-case hexadecimal text and back.</summary>
    public static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string Encode(ReadOnlySpan<byte> bytes)
        {
            char[] text = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                text[i * 2] = Digits[bytes[i] >> 4];
                text[i * 2 + 1] = Digits[bytes[i] & 15];
            }
            return new string(text);
        }

        /// <summary>The bytes of lower-case hex text, or null when it is not that (odd length, another character).</summary>
        public static byte[] Decode(string text)
        {
            if (text.Length % 2 != 0) return null;
            byte[] bytes = new byte[text.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                int high = DigitValue(text[i * 2]), low = DigitValue(text[i * 2 + 1]);
                if (high < 0 || low < 0) return null;
                bytes[i] = (byte)(high << 4 | low);
            }
            return bytes;
        }

        private static int DigitValue(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}
