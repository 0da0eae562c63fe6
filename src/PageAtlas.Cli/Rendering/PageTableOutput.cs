using System.Text;
using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>
/// pagetable's output in the format asked for: the library's text, dot or JSON document, or SVG
/// rendered from the dot by Graphviz; text coloured by the host's ANSI codes when wanted.
/// </summary>
internal static class PageTableOutput
{
    /// <summary>The formats <see cref="Write"/> takes.</summary>
    public static readonly string[] Formats = ["text", "dot", "svg", "json"];

    /// <summary>
    /// Writes <paramref name="view"/> as <paramref name="format"/> (one of <see cref="Formats"/>) to
    /// <paramref name="stream"/>; text lines longer than <paramref name="width"/> (a terminal's) are
    /// broken between words, null leaves them whole (a pipe, a file).
    /// </summary>
    /// <exception cref="ExternalToolException">svg was asked for and Graphviz's dot is missing or failed.</exception>
    public static void Write(PageTableView view, string format, Stream stream, bool colour, int? width = null)
    {
        switch (format)
        {
            case "json":
                using (var writer = CommonOptions.JsonOut(stream, indented: true)) PageTableJson.Write(writer, view.Tree);
                stream.WriteByte((byte)'\n');
                break;
            case "dot":
                WriteText(stream, (w, _) => PageTableDot.Write(w, view));
                break;
            case "svg":
                PageTableSvg.Write(view, stream);
                break;
            default:
                WriteText(stream, (w, raw) => PageTableText.Write(w, view, colour ? TerminalColours.Writer(raw) : null), width);
                break;
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> with the escaping writer and the raw one under it (for colour codes
    /// only); both go through one line-wrapping writer when a width is given, so codes and text stay in order.
    /// </summary>
    private static void WriteText(Stream stream, Action<TextWriter, TextWriter> write, int? width = null)
    {
        TextWriter raw = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        if (width is { } columns) raw = new LineWrappingWriter(raw, columns);
        using var writer = new TerminalTextWriter(raw);
        write(writer, raw);
    }
}
