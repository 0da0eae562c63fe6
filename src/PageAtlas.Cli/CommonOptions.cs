using System.Buffers;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PageAtlas.Cli;

/// <summary>Arguments and options several commands share, and their parsing.</summary>
internal static class CommonOptions
{
    /// <summary>Ignore the kernel companion: show what user space alone can see.</summary>
    public static Option<bool> UserSpaceOnly() => new("--user-space-only") { Description = "Show what user space alone can see, even when the kernel companion (/dev/pageatlas) is loaded" };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON for programs instead of text (its shapes: docs/json.md)" };

    /// <summary>Recursive on the root command: every command accepts it.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "On an error, also print where in PageAtlas it happened (a stack trace, for a bug report)", Recursive = true };

    /// <summary>Writes one indented JSON document, and a final newline, to <paramref name="console"/>'s stdout.</summary>
    /// <remarks>
    /// The document is written into memory first and reaches stdout only once whole: a failure while it
    /// is being written leaves stdout empty, never a truncated document a script would half-parse.
    /// </remarks>
    public static int WriteJsonDocument(CliConsole console, Action<Utf8JsonWriter> write)
    {
        var document = new DocumentBuffer();
        using (var writer = new Utf8JsonWriter(document, JsonOptions(indented: true))) write(writer);
        using var stdout = console.OpenOutput();
        document.CopyTo(stdout);
        stdout.WriteByte((byte)'\n');
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Writes one indented JSON document, and a final newline, to <paramref name="console"/>'s stdout as it is
    /// formed: for a report that is whole in memory before the first byte, whose writing can then fail only
    /// at stdout itself, as copying a held document would. Memory stays one buffer (<see cref="DocumentBuffer"/> writing through).
    /// </summary>
    public static int WriteJsonReport(CliConsole console, Action<Utf8JsonWriter> write)
    {
        using var stdout = console.OpenOutput();
        var document = new DocumentBuffer(through: stdout);
        using (var writer = new Utf8JsonWriter(document, JsonOptions(indented: true))) write(writer);
        document.Write("\n"u8);
        document.Flush();
        return ExitCodes.Ok;
    }

    /// <summary>Writes one JSON object as a line of a stream (watch, mtest) and flushes it: a reader sees each line as it is made.</summary>
    public static void WriteJsonLine(Stream stdout, Action<Utf8JsonWriter> write)
    {
        using (var json = JsonOut(stdout, indented: false)) write(json);
        stdout.WriteByte((byte)'\n');
        stdout.Flush();
    }

    /// <summary>A JSON writer on stdout; flush it (or dispose) before returning.</summary>
    public static Utf8JsonWriter JsonOut(Stream stdout, bool indented) => new(stdout, JsonOptions(indented));

    private static JsonWriterOptions JsonOptions(bool indented) => new()
    {
        Indented = indented,
        Encoder = PageAtlas.Rendering.TerminalSafeJsonEncoder.Instance,
    };
}
