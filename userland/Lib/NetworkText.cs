namespace TeachOS
{
    /// <summary>
    /// IPv4 and MAC addresses as people write them, for ping and net: "10.0.2.15" is the number
    /// 0x0A00020F the network system calls take (abi/Network.cs), "10.0.2.0/24" a prefix.
    /// </summary>
    public static class NetworkText
    {
        /// <summary>Parses a dotted quad ("localhost" is 127.0.0.1); false for anything else.</summary>
        public static bool TryParseAddress(string text, out uint address)
        {
            address = 0;
            if (text == "localhost") { address = 0x7F000001; return true; }
            int part = 0, value = 0, digits = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i == text.Length || text[i] == '.')
                {
                    if (digits == 0 || value > 255 || part > 3) return false;
                    address = address << 8 | (uint)value;
                    part++;
                    value = digits = 0;
                    continue;
                }
                char c = text[i];
                if (c < '0' || c > '9' || digits == 3) return false;
                value = value * 10 + (c - '0');
                digits++;
            }
            return part == 4;
        }

        /// <summary>Parses "A.B.C.D/N" (or "default", 0.0.0.0/0); a bare address is a /32.</summary>
        public static bool TryParsePrefix(string text, out uint address, out int prefixLength)
        {
            prefixLength = 32;
            if (text == "default") { address = 0; prefixLength = 0; return true; }
            int slash = text.IndexOf('/');
            if (slash < 0) return TryParseAddress(text, out address);
            if (!TryParseAddress(text.Substring(0, slash), out address)) return false;
            return int.TryParse(text.Substring(slash + 1), out prefixLength) && prefixLength >= 0 && prefixLength <= 32;
        }

        public static string Address(uint address) =>
            (address >> 24).ToString() + "." + ((address >> 16) & 255).ToString() + "." + ((address >> 8) & 255).ToString() + "." + (address & 255).ToString();

        public static string Mac(ulong mac)
        {
            const string hex = "0123456789abcdef";
            string text = "";
            for (int i = 0; i < 6; i++)
            {
                int b = (int)(mac >> (40 - 8 * i)) & 255;
                text = text + hex[b >> 4].ToString() + hex[b & 15].ToString() + (i < 5 ? ":" : "");
            }
            return text;
        }

        /// <summary>Microseconds as milliseconds with three decimals, as ping prints a round trip.</summary>
        public static string Milliseconds(ulong microseconds)
        {
            string fraction = (microseconds % 1000).ToString();
            while (fraction.Length < 3) fraction = "0" + fraction;
            return (microseconds / 1000).ToString() + "." + fraction;
        }
    }
}
