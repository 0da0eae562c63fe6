using System.Globalization;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Rendering;

/// <summary>snapshot's one summary line: what was written, how big, how fast.</summary>
internal static class SnapshotSummaryText
{
    public static void Write(TextWriter writer, SnapshotSummary summary, bool withFrames) =>
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {summary.Path}: {summary.Processes} process(es), {summary.PopulatedPages} populated pages, {summary.Bytes} bytes ({summary.BytesPerPage:0.0} bytes per page){(withFrames ? ", with the machine's frames" : "")} in {summary.Seconds:0.000} s"));
}
