using System.Buffers.Binary;
using System.Text;
using PageAtlas.Linux;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>Bytes for people: xxd-style lines, and the same bytes read as integers or a C string.</summary>
internal static class HexDump
{
    /// <summary>Characters a line of 16 bytes takes: "0x" and 12 digits, ": ", 49 of hex, 18 of text.</summary>
    public const int WideLine = 83;

    /// <summary>
    /// "0x7f…: 41 42 43 …  |ABC…|", addressed from <paramref name="address"/>, 16 bytes a line when
    /// <paramref name="width"/> (null: no limit) holds one, else 8 (50 characters, for an 80-column terminal).
    /// </summary>
    public static IEnumerable<string> Lines(ulong address, byte[] bytes, int? width = null)
    {
        int perLine = width is null or >= WideLine ? 16 : 8;
        for (int offset = 0; offset < bytes.Length; offset += perLine)
        {
            var line = bytes.AsSpan(offset, Math.Min(perLine, bytes.Length - offset));
            var hex = new StringBuilder(48);
            var ascii = new StringBuilder(16);
            for (int i = 0; i < perLine; i++)
            {
                hex.Append(i < line.Length ? $"{line[i]:x2} " : "   ");
                if (i == 7 && perLine == 16) hex.Append(' ');
                if (i < line.Length) ascii.Append(line[i] is >= 0x20 and < 0x7f ? (char)line[i] : '.');
            }
            yield return $"0x{address + (ulong)offset:x12}: {hex}|{ascii}|";
        }
    }

    /// <summary>The bytes read as <paramref name="format"/>: u8…u64, i8…i64 (little-endian, one per element), or string.</summary>
    /// <summary>What <see cref="Interpret"/> reads bytes as (peek --as).</summary>
    public static IReadOnlyList<string> Shapes { get; } = ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "string"];

    public static string Interpret(byte[] bytes, string format)
    {
        if (format == "string")
        {
            int end = Array.IndexOf(bytes, (byte)0);
            // The target's memory is its own to fill: shown with its controls and stray bytes escaped.
            string text = TerminalText.Escape(KernelText.Decode(bytes.AsSpan(0, end < 0 ? bytes.Length : end)));
            return end < 0 ? $"\"{text}\" (no NUL within {bytes.Length} bytes)" : $"\"{text}\"";
        }
        int size = format[1..] switch { "8" => 1, "16" => 2, "32" => 4, "64" => 8, _ => 0 };
        if (size == 0 || format[0] is not ('u' or 'i'))
            throw new InvalidRequestException($"--as takes {string.Join(", ", Shapes)}, not '{format}'");
        var values = new List<string>();
        for (int i = 0; i + size <= bytes.Length; i += size)
        {
            var s = bytes.AsSpan(i, size);
            ulong u = size switch { 1 => s[0], 2 => BinaryPrimitives.ReadUInt16LittleEndian(s), 4 => BinaryPrimitives.ReadUInt32LittleEndian(s), _ => BinaryPrimitives.ReadUInt64LittleEndian(s) };
            long signed = size switch { 1 => (sbyte)u, 2 => (short)u, 4 => (int)u, _ => (long)u };
            values.Add(format[0] == 'u' ? u.ToString() : signed.ToString());
        }
        return values.Count == 0 ? $"(fewer than {size} bytes)" : string.Join(' ', values);
    }
}
