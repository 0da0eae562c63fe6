using System.Text;
using System.Text.Encodings.Web;

namespace PageAtlas.Rendering;

/// <summary>
/// The JSON encoder of every document PageAtlas writes: System.Text.Json's relaxed escaping (names
/// stay readable: "Grüße", "файл"), which already escapes control characters, plus the bidirectional
/// formatting characters it lets through raw (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069):
/// a process named "evil\u202Etxt.exe" would otherwise reorder what a person reading JSON on a
/// terminal sees. Escaped, the value still decodes to the exact name.
/// </summary>
public sealed class TerminalSafeJsonEncoder : JavaScriptEncoder
{
    /// <summary>The one instance.</summary>
    public static readonly TerminalSafeJsonEncoder Instance = new();

    private static readonly JavaScriptEncoder s_relaxed = UnsafeRelaxedJsonEscaping;

    private TerminalSafeJsonEncoder() { }

    private static bool IsBidiControl(int scalar) => TerminalText.IsBidiControl(scalar);

    /// <inheritdoc/>
    public override int MaxOutputCharactersPerInputCharacter => Math.Max(6, s_relaxed.MaxOutputCharactersPerInputCharacter);

    /// <inheritdoc/>
    public override bool WillEncode(int unicodeScalar) => IsBidiControl(unicodeScalar) || s_relaxed.WillEncode(unicodeScalar);

    /// <inheritdoc/>
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        int relaxed = s_relaxed.FindFirstCharacterToEncode(text, textLength);
        int end = relaxed < 0 ? textLength : relaxed;
        for (int i = 0; i < end; i++)
            if (IsBidiControl(text[i])) return i;
        return relaxed;
    }

    /// <inheritdoc/>
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int relaxed = s_relaxed.FindFirstCharacterToEncodeUtf8(utf8Text);
        var before = relaxed < 0 ? utf8Text : utf8Text[..relaxed];
        // Every bidi control begins with one of these lead bytes: D8 (U+061C), E2 (U+200E…U+2069).
        for (int at = before.IndexOfAny((byte)0xD8, (byte)0xE2); at >= 0 && at < before.Length;)
        {
            if (Rune.DecodeFromUtf8(before[at..], out var rune, out int length) == System.Buffers.OperationStatus.Done && IsBidiControl(rune.Value)) return at;
            int next = before[(at + 1)..].IndexOfAny((byte)0xD8, (byte)0xE2);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return relaxed;
    }

    /// <inheritdoc/>
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (!IsBidiControl(unicodeScalar)) return s_relaxed.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);
        const string Hex = "0123456789ABCDEF";
        if (bufferLength < 6)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        buffer[0] = '\\';
        buffer[1] = 'u';
        for (int i = 0; i < 4; i++) buffer[2 + i] = Hex[(unicodeScalar >> (12 - 4 * i)) & 0xF];
        numberOfCharactersWritten = 6;
        return true;
    }
}
