using PageAtlas.Rendering;

namespace PageAtlas.Cli;

/// <summary>
/// A text report's standard output: text written here is escaped for a terminal (<see cref="TerminalTextWriter"/>),
/// and the colour codes of <see cref="TerminalColours"/> go past the escaping, straight to the stream
/// under it, only when the layout allows colour. Buffered; dispose it to flush.
/// </summary>
internal sealed class TextOutput : TextWriter
{
    private readonly TextWriter _raw;
    private readonly TerminalTextWriter _text;

    public TextOutput(TextWriter raw, TextLayout layout)
    {
        _raw = raw;
        _text = new TerminalTextWriter(raw);
        Layout = layout;
    }

    /// <summary>The width, colour and size unit the report was asked for.</summary>
    public TextLayout Layout { get; }

    /// <inheritdoc/>
    public override System.Text.Encoding Encoding => _text.Encoding;

    /// <summary>Writes a colour code (<see cref="TerminalColours"/>) when colour is wanted; nothing otherwise.</summary>
    public void Colour(string code)
    {
        if (Layout.Colour) _raw.Write(code);
    }

    /// <summary>Writes <paramref name="text"/> in colour <paramref name="code"/> when colour is wanted (then the default colour again).</summary>
    public void Write(string text, string? code)
    {
        if (code is not null) Colour(code);
        Write(text);
        if (code is not null) Colour(TerminalColours.Reset);
    }

    /// <summary>
    /// Writes prose broken at the layout's width (<see cref="Paragraph"/>): between words or after a
    /// comma, never inside a number or an address. Lines after the first are indented by
    /// <paramref name="indent"/> blanks; the text starts at <paramref name="startColumn"/>.
    /// </summary>
    public void WriteParagraph(string text, int indent = 0, int startColumn = 0)
    {
        if (Layout.Width is not { } width)
        {
            WriteLine(text);
            return;
        }
        foreach (var line in Paragraph.Lines(text, width, indent, startColumn)) WriteLine(line);
    }

    /// <summary>As <see cref="WriteParagraph"/>, for a line in a reused buffer: a string is made only when the line must be broken.</summary>
    public void WriteParagraph(ReadOnlySpan<char> text, int indent)
    {
        if (Layout.Width is { } width && text.Length > width) WriteParagraph(text.ToString(), indent);
        else WriteLine(text);
    }

    /// <summary>
    /// Writes text another <see cref="TextOutput"/> of the same layout already produced (escaped, its
    /// colour codes in place) as it is: a table's rows formatted on another thread.
    /// </summary>
    public void WriteEscaped(ReadOnlySpan<char> produced) => _raw.Write(produced);

    /// <inheritdoc/>
    public override void Write(char value) => _text.Write(value);

    /// <inheritdoc/>
    public override void Write(string? value) => _text.Write(value);

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => _text.Write(buffer, index, count);

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<char> buffer) => _text.Write(buffer);

    /// <inheritdoc/>
    public override void WriteLine(string? value) => _text.WriteLine(value);

    /// <inheritdoc/>
    public override void WriteLine(ReadOnlySpan<char> buffer) => _text.WriteLine(buffer);

    /// <inheritdoc/>
    public override void WriteLine() => _text.WriteLine();

    /// <inheritdoc/>
    public override void Flush() => _text.Flush();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _text.Dispose();
        base.Dispose(disposing);
    }
}
