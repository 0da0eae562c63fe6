using System.Text;

namespace PageAtlas.Cli;

/// <summary>
/// Lines longer than a width, broken at spaces: a continuation starts under its line's text, four
/// columns further in. For text a library writes line by line without knowing the terminal (the
/// page-table tree's deep lines run to 130 columns): a break falls only between words, so an address,
/// a range ("0x5580…–0x5600…") or a number is never cut. ANSI colour sequences (ESC [ … m) pass
/// through and take no width; the colour in force carries over the break, as a terminal keeps it.
/// A word longer than the room left stays whole and overflows rather than being cut.
/// </summary>
internal sealed class LineWrappingWriter(TextWriter inner, int width) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == '\n') EndLine();
        else _line.Append(value);
    }

    public override void Write(string? value)
    {
        foreach (char c in value ?? "") Write(c);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        for (int i = index; i < index + count; i++) Write(buffer[i]);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        foreach (char c in buffer) Write(c);
    }

    public override void Flush()
    {
        inner.Flush();
    }

    private bool _disposed;

    /// <summary>Writes a last unfinished line, and disposes the writer underneath.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_line.Length > 0) EndLine(newline: false);
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private void EndLine(bool newline = true)
    {
        string line = _line.ToString();
        _line.Clear();
        int indent = line.Length - line.TrimStart(' ').Length;
        int start = 0, column = 0, lastSpace = -1, columnAtSpace = 0;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\e')
            {
                // An ANSI sequence: ESC '[' parameters, ending in a letter; no width.
                while (i + 1 < line.Length && !char.IsAsciiLetter(line[i])) i++;
                continue;
            }
            if (line[i] == ' ' && column > indent) (lastSpace, columnAtSpace) = (i, column);
            column++;
            if (column > width && lastSpace > start)
            {
                inner.Write(line.AsSpan(start, lastSpace - start).TrimEnd(' '));
                inner.Write('\n');
                int continuation = indent + 4;
                inner.Write(new string(' ', continuation));
                start = lastSpace + 1;
                while (start < line.Length && line[start] == ' ') start++;
                column = continuation + Math.Max(0, column - columnAtSpace - 1 - (start - lastSpace - 1));
                lastSpace = -1;
                if (i < start) i = start - 1;
            }
        }
        inner.Write(line.AsSpan(start));
        if (newline) inner.Write('\n');
    }
}
