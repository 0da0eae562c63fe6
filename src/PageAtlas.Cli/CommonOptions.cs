using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PageAtlas.Cli;

/// <summary>Arguments and options several commands share, and their parsing.</summary>
internal static class CommonOptions
{
    /// <summary>Ignore the kernel companion: show what user space alone can see.</summary>
    public static Option<bool> UserSpaceOnly() => new("--user-space-only") { Description = "Ignore the kernel companion (/dev/pageatlas) even when it is loaded: show what user space alone can see" };

    public static Option<bool> Json() => new("--json") { Description = "Machine-readable output (schema in docs/json.md)" };

    /// <summary>Recursive on the root command: every command accepts it.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "On error, print the stack trace too", Recursive = true };

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
