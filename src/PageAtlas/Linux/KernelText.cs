using System.Text;
using System.Text.Unicode;

namespace PageAtlas.Linux;

/// <summary>
/// Text the kernel hands over is bytes: process names (comm, up to 15 bytes of anything but NUL) and
/// file names (anything but '/' and NUL) need not be UTF-8. Decoding replaces nothing: valid UTF-8
/// becomes its characters, and each byte that is not part of valid UTF-8 becomes the lone surrogate
/// U+DC80 + byte (Python's "surrogateescape", PEP 383). Two different names stay two different
/// strings, the bytes can be recovered, and <see cref="Rendering.TerminalText"/> shows such a byte as
/// \xHH. A JSON writer cannot carry a lone surrogate and writes U+FFFD in its place.
/// </summary>
public static class KernelText
{
    /// <summary>The first of the 128 surrogates that stand for the bytes 0x80–0xFF.</summary>
    public const char FirstByteEscape = '\uDC80';

    /// <summary>Decodes <paramref name="bytes"/>, keeping every byte that is not valid UTF-8 as U+DC80 + byte.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        // The common case, checked with vector instructions: a maps file of 20,000 lines is all UTF-8.
        if (Utf8.IsValid(bytes)) return Encoding.UTF8.GetString(bytes);
        var text = new StringBuilder(bytes.Length);
        Span<char> decoded = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out int consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                text.Append(decoded[..rune.EncodeToUtf16(decoded)]);
            }
            else
            {
                // Invalid or truncated: escape the bytes of the ill-formed sequence one by one.
                consumed = Math.Max(consumed, 1);
                foreach (byte b in bytes[..consumed]) text.Append((char)(FirstByteEscape - 0x80 + b));
            }
            bytes = bytes[consumed..];
        }
        return text.ToString();
    }

    /// <summary>
    /// The byte a character decoded by <see cref="Decode"/> stands for, when it stands for one that
    /// was not valid UTF-8; else null.
    /// </summary>
    public static byte? EscapedByte(char c) => c is >= FirstByteEscape and <= '\uDCFF' ? (byte)(c - FirstByteEscape + 0x80) : null;
}
