using System.Text;

namespace PageAtlas.Rendering;

/// <summary>
/// A writer for text meant for a terminal that lets no control character through: everything written
/// passes through <see cref="TerminalText.Escape(string?, bool)"/>, keeping only line breaks. It is
/// the last line of defence under every text output; a name that holds a newline must still be
/// escaped where it is formatted (a kept line break cannot tell a name's newline from the output's).
/// </summary>
public sealed class TerminalTextWriter(TextWriter inner, bool leaveOpen = false) : TextWriter
{
    /// <inheritdoc/>
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc/>
    public override IFormatProvider FormatProvider => inner.FormatProvider;

    /// <inheritdoc/>
    public override void Write(char value) => Write(value.ToString());

    /// <inheritdoc/>
    public override void Write(string? value) => inner.Write(TerminalText.Escape(value, keepLineBreaks: true));

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    /// <inheritdoc/>
    /// <remarks>Text with nothing to escape (nearly every line of a long listing) goes through as it is, without a copy.</remarks>
    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (TerminalText.NeedsEscape(buffer, keepLineBreaks: true)) Write(buffer.ToString());
        else inner.Write(buffer);
    }

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        Write(value);
        inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        Write(buffer);
        inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void WriteLine() => inner.WriteLine();

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        else if (disposing) inner.Flush();
        base.Dispose(disposing);
    }
}
