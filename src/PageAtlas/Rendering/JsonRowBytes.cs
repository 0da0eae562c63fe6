using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace PageAtlas.Rendering;

/// <summary>
/// One object of a long JSON array formed as bytes, exactly as <see cref="Utf8JsonWriter"/> would
/// write it at that place (indented by its options, or compact), then handed to the writer whole as
/// a raw value: a maps document of 20,000 VMAs makes 500,000 writer calls, each validated and
/// indented on its own, which were a third of `maps --json`. Strings are checked with the writer's
/// own encoder: one it would escape makes <see cref="String(ReadOnlySpan{byte}, ReadOnlySpan{char})"/> answer false, and the caller writes
/// that row with the writer instead (ResidencyJsonTests compares the two byte for byte).
/// </summary>
internal sealed class JsonRowBytes
{
    /// <summary>The most a line break, its indentation and a value other than a string take (a name's length aside).</summary>
    private const int LineRoom = 160;
    /// <summary>A line break and the indentation of any depth a row reaches, copied from.</summary>
    private static readonly byte[] s_lineAndIndent = [(byte)'\n', .. Enumerable.Repeat((byte)' ', 2 * 64)];

    private byte[] _bytes = new byte[4096];
    private int _used;
    private int _depth;
    private bool _first;
    private readonly bool _indented;
    private readonly JavaScriptEncoder _encoder;

    /// <summary>Whether rows formed here read as <paramref name="options"/> writes them: two spaces a level and "\n", or compact.</summary>
    public static bool Matches(JsonWriterOptions options) =>
        !options.Indented || (options.IndentCharacter == ' ' && options.IndentSize == 2 && options.NewLine == "\n");

    public JsonRowBytes(JsonWriterOptions options)
    {
        _indented = options.Indented;
        _encoder = options.Encoder ?? JavaScriptEncoder.Default;
    }

    /// <summary>The object formed since <see cref="Start"/>.</summary>
    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _used);

    /// <summary>Starts an object that is a value in an array at the writer's <paramref name="depth"/> (its <see cref="Utf8JsonWriter.CurrentDepth"/>).</summary>
    public void Start(int depth)
    {
        if (depth > 60) throw new InvalidOperationException("rows are formed as bytes at most 60 levels deep");
        _used = 0;
        _depth = depth;
        NewLine();
        _bytes[_used++] = (byte)'{';
        (_depth, _first) = (depth + 1, true);
    }

    /// <summary>Ends the innermost object.</summary>
    public void End()
    {
        _depth--;
        Room(LineRoom);
        NewLine();
        _bytes[_used++] = (byte)'}';
        _first = false;
    }

    /// <summary>"name": { — an object as a property.</summary>
    public void StartObject(ReadOnlySpan<byte> name)
    {
        Name(name);
        _bytes[_used++] = (byte)'{';
        (_depth, _first) = (_depth + 1, true);
    }

    public void Number(ReadOnlySpan<byte> name, ulong value)
    {
        Name(name);
        Utf8Formatter.TryFormat(value, _bytes.AsSpan(_used), out int written);
        _used += written;
    }

    public void Number(ReadOnlySpan<byte> name, long value)
    {
        Name(name);
        Utf8Formatter.TryFormat(value, _bytes.AsSpan(_used), out int written);
        _used += written;
    }

    /// <summary>"0x…", as <see cref="JsonRecords.WriteHexValue"/> writes it.</summary>
    public void Hex(ReadOnlySpan<byte> name, ulong value)
    {
        Name(name);
        var to = _bytes.AsSpan(_used);
        "\"0x"u8.CopyTo(to);
        Utf8Formatter.TryFormat(value, to[3..], out int digits, new StandardFormat('x'));
        to[3 + digits] = (byte)'"';
        _used += 4 + digits;
    }

    public void Boolean(ReadOnlySpan<byte> name, bool value)
    {
        Name(name);
        Bytes(value ? "true"u8 : "false"u8);
    }

    public void Null(ReadOnlySpan<byte> name)
    {
        Name(name);
        Bytes("null"u8);
    }

    /// <summary>A string, or null when <paramref name="value"/> is; false (and the row unusable) when the encoder would escape it.</summary>
    public bool String(ReadOnlySpan<byte> name, string? value) => value is null ? NullThen(name) : String(name, value.AsSpan());

    /// <inheritdoc cref="String(ReadOnlySpan{byte}, string?)"/>
    public unsafe bool String(ReadOnlySpan<byte> name, ReadOnlySpan<char> value)
    {
        fixed (char* text = value)
            if (_encoder.FindFirstCharacterToEncode(text, value.Length) >= 0) return false;
        Name(name);
        Room(3 * value.Length + 2); // the most it takes: 3 bytes a UTF-16 unit
        _bytes[_used++] = (byte)'"';
        // Ill-formed UTF-16 (a lone surrogate) is what the encoder escapes too; refused here all the same.
        if (Utf8.FromUtf16(value, _bytes.AsSpan(_used), out _, out int written, replaceInvalidSequences: false) != OperationStatus.Done) return false;
        _used += written;
        _bytes[_used++] = (byte)'"';
        return true;
    }

    private bool NullThen(ReadOnlySpan<byte> name)
    {
        Null(name);
        return true;
    }

    /// <summary>The separator, the line break and indentation, and "name": before a property's value.</summary>
    private void Name(ReadOnlySpan<byte> name)
    {
        Room(LineRoom + name.Length);
        if (!_first) _bytes[_used++] = (byte)',';
        _first = false;
        NewLine();
        var to = _bytes.AsSpan(_used);
        to[0] = (byte)'"';
        name.CopyTo(to[1..]);
        to[1 + name.Length] = (byte)'"';
        to[2 + name.Length] = (byte)':';
        if (_indented) to[3 + name.Length] = (byte)' ';
        _used += (_indented ? 4 : 3) + name.Length;
    }

    private void NewLine()
    {
        if (!_indented) return;
        s_lineAndIndent.AsSpan(0, 1 + 2 * _depth).CopyTo(_bytes.AsSpan(_used));
        _used += 1 + 2 * _depth;
    }

    private void Room(int count)
    {
        if (_bytes.Length - _used < count) Array.Resize(ref _bytes, 2 * (_used + count));
    }

    private void Bytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_bytes.AsSpan(_used));
        _used += value.Length;
    }
}
