using System.Globalization;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Rendering;

/// <summary>snapshot's one summary line: what was written, how big, how fast.</summary>
internal static class SnapshotSummaryText
{
    /// <param name="width">The width to break the line at (between words), null for none.</param>
    public static void Write(TextWriter writer, SnapshotSummary summary, bool withFrames, int? width)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"wrote {summary.Path}: {summary.Processes} process(es), {summary.PopulatedPages} populated pages, {HumanOutput.Bytes((ulong)summary.Bytes)} ({summary.BytesPerPage:0.0} bytes per page){(withFrames ? ", with the machine's frames" : "")} in {summary.Seconds:0.000} s");
        foreach (var part in width is { } w ? Paragraph.Lines(line, w, indent: 2) : [line]) writer.WriteLine(part);
    }
}
