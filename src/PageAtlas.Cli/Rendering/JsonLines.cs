using System.Text.Json;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>
/// A listing as JSON lines on stdout (pages, translate): a header object naming the schema, process,
/// machine and visibility, then one object per line, written as it is made through one buffer.
/// </summary>
internal sealed class JsonLines : IDisposable
{
    private readonly BufferedStream _stdout;
    private readonly Utf8JsonWriter _writer;

    private JsonLines(CliConsole console)
    {
        _stdout = new BufferedStream(console.OpenOutput(), 1 << 16);
        _writer = CommonOptions.JsonOut(_stdout, indented: false);
    }

    /// <summary>Opens stdout and writes the header line of <paramref name="schema"/> for <paramref name="target"/>.</summary>
    public static JsonLines Open(CliConsole console, string schema, IMemoryTarget target)
    {
        var lines = new JsonLines(console);
        var writer = lines.Next();
        writer.WriteStartObject();
        JsonRecords.WriteHeader(writer, schema, target.Pid, target.Facts.Name, target.Machine, target.Visibility);
        writer.WriteEndObject();
        lines.EndLine();
        return lines;
    }

    /// <summary>The writer, ready for the next line's object.</summary>
    public Utf8JsonWriter Next()
    {
        _writer.Reset();
        return _writer;
    }

    /// <summary>Ends the line written since <see cref="Next"/>.</summary>
    public void EndLine()
    {
        _writer.Flush();
        _stdout.WriteByte((byte)'\n');
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _writer.Dispose();
        _stdout.Dispose();
    }
}
