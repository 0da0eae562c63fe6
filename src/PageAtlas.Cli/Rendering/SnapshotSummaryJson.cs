using System.Text.Json;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Rendering;

/// <summary>Writes what <c>snapshot</c> saved as the "pageatlas/snapshot" document (the text summary line's figures).</summary>
internal static class SnapshotSummaryJson
{
    /// <summary>Writes the whole document: the file, the processes saved in it, their populated pages, its size and the time taken.</summary>
    public static void Write(Utf8JsonWriter json, SnapshotSummary summary, IEnumerable<IMemoryTarget> processes, bool withFrames)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "snapshot");
        json.WriteString("file", summary.Path);
        JsonRecords.WriteObjects(json, "processes", processes, (w, process) =>
        {
            w.WriteNumber("pid", process.Pid);
            w.WriteString("command", process.Facts.Name);
        });
        json.WriteNumber("populatedPages", summary.PopulatedPages);
        json.WriteNumber("fileBytes", summary.Bytes);
        json.WriteBoolean("withFrames", withFrames);
        json.WriteNumber("seconds", summary.Seconds);
        json.WriteEndObject();
    }
}
