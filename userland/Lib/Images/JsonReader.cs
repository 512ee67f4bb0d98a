using System;

namespace TeachOS
{
    /// <summary>
    /// A small JSON parser (RFC 8259) for the image format's manifests and configurations: a recursive
    /// descent over the bytes, one method per grammar rule. It is total over bad input, as a parser of
    /// files from elsewhere must be: any malformed text, a value nested deeper than <see cref="MaximumDepth"/>
    /// or text after the value gives null and a reason in <see cref="Error"/>, never an exception (a throw
    /// ends a TeachOS program). Strings are ASCII: a \u escape above 0x7F is refused, since TeachOS's
    /// text is one byte a character.
    /// </summary>
    public sealed class JsonReader
    {
        /// <summary>Deep enough for any manifest; shallow enough that hostile nesting cannot exhaust the stack.</summary>
        public const int MaximumDepth = 32;

        private readonly byte[] text;
        private readonly int end;
        private int position;
        public string Error;

        private JsonReader(byte[] text, int length) { this.text = text; end = length; }

        /// <summary>Parses the first length bytes of text; null (and error set) when they are not one JSON value.</summary>
        public static JsonValue Parse(byte[] text, int length, out string error)
        {
            var reader = new JsonReader(text, length);
            JsonValue value = reader.ParseValue(0);
            if (value != null)
            {
                reader.SkipSpace();
                if (reader.position != length) value = reader.Fail("text after the JSON value");
            }
            error = reader.Error;
            return value;
        }

        private JsonValue Fail(string why)
        {
            if (Error == null) Error = why + " at byte " + position;
            return null;
        }

        private void SkipSpace()
        {
            while (position < end && (text[position] == ' ' || text[position] == '\t' || text[position] == '\n' || text[position] == '\r'))
                position++;
        }

        private JsonValue ParseValue(int depth)
        {
            if (depth > MaximumDepth) return Fail("JSON nested too deeply");
            SkipSpace();
            if (position >= end) return Fail("JSON ends where a value should be");
            byte first = text[position];
            if (first == '{') return ParseObject(depth);
            if (first == '[') return ParseArray(depth);
            if (first == '"')
            {
                string s = ParseString();
                if (s == null) return null;
                var value = new JsonValue(JsonKind.String);
                value.Text = s;
                return value;
            }
            if (first == '-' || (first >= '0' && first <= '9')) return ParseNumber();
            if (Literal("true")) return new JsonValue(JsonKind.True);
            if (Literal("false")) return new JsonValue(JsonKind.False);
            if (Literal("null")) return new JsonValue(JsonKind.Null);
            return Fail("not a JSON value");
        }

        private bool Literal(string word)
        {
            if (end - position < word.Length) return false;
            for (int i = 0; i < word.Length; i++)
                if (text[position + i] != word[i]) return false;
            position += word.Length;
            return true;
        }

        private JsonValue ParseObject(int depth)
        {
            var value = new JsonValue(JsonKind.Object);
            position++; // '{'
            SkipSpace();
            if (position < end && text[position] == '}') { position++; return value; }
            while (true)
            {
                SkipSpace();
                if (position >= end || text[position] != '"') return Fail("expected a member name");
                string name = ParseString();
                if (name == null) return null;
                SkipSpace();
                if (position >= end || text[position] != ':') return Fail("expected ':'");
                position++;
                JsonValue member = ParseValue(depth + 1);
                if (member == null) return null;
                value.Add(name, member);
                SkipSpace();
                if (position >= end) return Fail("JSON ends inside an object");
                if (text[position] == ',') { position++; continue; }
                if (text[position] == '}') { position++; return value; }
                return Fail("expected ',' or '}'");
            }
        }

        private JsonValue ParseArray(int depth)
        {
            var value = new JsonValue(JsonKind.Array);
            position++; // '['
            SkipSpace();
            if (position < end && text[position] == ']') { position++; return value; }
            while (true)
            {
                JsonValue item = ParseValue(depth + 1);
                if (item == null) return null;
                value.Add(null, item);
                SkipSpace();
                if (position >= end) return Fail("JSON ends inside an array");
                if (text[position] == ',') { position++; continue; }
                if (text[position] == ']') { position++; return value; }
                return Fail("expected ',' or ']'");
            }
        }

        /// <summary>A number's text (RFC 8259 section 6: minus, digits, fraction, exponent), checked but not converted.</summary>
        private JsonValue ParseNumber()
        {
            int start = position;
            if (text[position] == '-') position++;
            int digits = SkipDigits();
            if (digits == 0) return Fail("a number without digits");
            if (position < end && text[position] == '.') { position++; if (SkipDigits() == 0) return Fail("a fraction without digits"); }
            if (position < end && (text[position] == 'e' || text[position] == 'E'))
            {
                position++;
                if (position < end && (text[position] == '+' || text[position] == '-')) position++;
                if (SkipDigits() == 0) return Fail("an exponent without digits");
            }
            var value = new JsonValue(JsonKind.Number);
            value.Text = Ascii(start, position - start);
            return value;
        }

        private int SkipDigits()
        {
            int count = 0;
            while (position < end && text[position] >= '0' && text[position] <= '9') { position++; count++; }
            return count;
        }

        /// <summary>A string after its opening quote (RFC 8259 section 7), escapes decoded; null when malformed.</summary>
        private string ParseString()
        {
            position++; // '"'
            char[] result = new char[16];
            int length = 0;
            while (true)
            {
                if (position >= end) { Fail("JSON ends inside a string"); return null; }
                byte c = text[position++];
                if (c == '"') return new string(result, 0, length);
                if (c < 0x20) { Fail("a control character inside a string"); return null; }
                if (c == '\\')
                {
                    if (position >= end) { Fail("JSON ends inside an escape"); return null; }
                    byte escape = text[position++];
                    if (escape == 'n') c = (byte)'\n';
                    else if (escape == 't') c = (byte)'\t';
                    else if (escape == 'r') c = (byte)'\r';
                    else if (escape == 'b') c = 8;
                    else if (escape == 'f') c = 12;
                    else if (escape == '"' || escape == '\\' || escape == '/') c = escape;
                    else if (escape == 'u')
                    {
                        int code = 0;
                        for (int i = 0; i < 4; i++)
                        {
                            int digit = position < end ? HexDigit(text[position++]) : -1;
                            if (digit < 0) { Fail("a bad \\u escape"); return null; }
                            code = code * 16 + digit;
                        }
                        if (code > 0x7F) { Fail("a character beyond ASCII"); return null; }
                        c = (byte)code;
                    }
                    else { Fail("an unknown escape"); return null; }
                }
                if (length == result.Length) Array.Resize(ref result, length * 2);
                result[length++] = (char)c;
            }
        }

        private static int HexDigit(byte c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

        private string Ascii(int start, int length)
        {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = (char)text[start + i];
            return new string(chars, 0, length);
        }
    }
}
