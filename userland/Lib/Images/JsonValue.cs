using System;

namespace TeachOS
{
    /// <summary>What kind of JSON value a <see cref="JsonValue"/> is (RFC 8259, section 3).</summary>
    public enum JsonKind { Null, False, True, Number, String, Array, Object }

    /// <summary>
    /// One parsed JSON value (JsonReader.cs makes them). Objects keep their members in order in two parallel
    /// arrays, names and values: an image's manifest has a handful of members, so looking one up by walking
    /// the array is cheaper than any table, and the base library has no Dictionary anyway. Numbers keep
    /// their digits as text: the image format needs only whole numbers (sizes), read with TryGetLong.
    /// </summary>
    public sealed class JsonValue
    {
        public JsonKind Kind;
        public string Text;              // a string's value, a number's digits
        public JsonValue[] Items;        // an array's elements, an object's member values
        public string[] Names;           // an object's member names, in the order written
        public int Count;                // how many of Items (and Names) are in use

        public JsonValue(JsonKind kind) { Kind = kind; }

        /// <summary>An object's member by name, or null when there is none (or this is not an object).</summary>
        public JsonValue Member(string name)
        {
            if (Kind != JsonKind.Object) return null;
            for (int i = 0; i < Count; i++)
                if (Names[i] == name) return Items[i];
            return null;
        }

        /// <summary>A member that must be a string: its value, or null.</summary>
        public string StringMember(string name)
        {
            JsonValue value = Member(name);
            return value != null && value.Kind == JsonKind.String ? value.Text : null;
        }

        /// <summary>A member that must be an array: it, or null.</summary>
        public JsonValue ArrayMember(string name)
        {
            JsonValue value = Member(name);
            return value != null && value.Kind == JsonKind.Array ? value : null;
        }

        /// <summary>A whole, non-negative number that fits a long (a blob's size); false for anything else.</summary>
        public bool TryGetLong(out long number)
        {
            number = 0;
            if (Kind != JsonKind.Number || Text.Length == 0 || Text.Length > 18) return false;
            for (int i = 0; i < Text.Length; i++)
            {
                if (Text[i] < '0' || Text[i] > '9') return false;
                number = number * 10 + (Text[i] - '0');
            }
            return true;
        }

        /// <summary>An array of strings as a string[] (a Cmd, an Env); null if any element is not a string.</summary>
        public string[] ToStringArray()
        {
            if (Kind != JsonKind.Array) return null;
            string[] result = new string[Count];
            for (int i = 0; i < Count; i++)
            {
                if (Items[i].Kind != JsonKind.String) return null;
                result[i] = Items[i].Text;
            }
            return result;
        }

        internal void Add(string name, JsonValue value)
        {
            if (Items == null) { Items = new JsonValue[4]; Names = new string[4]; }
            if (Count == Items.Length)
            {
                Array.Resize(ref Items, Count * 2);
                Array.Resize(ref Names, Count * 2);
            }
            Names[Count] = name;
            Items[Count++] = value;
        }
    }
}
