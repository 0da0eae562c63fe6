using System.Globalization;
using System.Text.Json;

namespace PageAtlas.Rendering;

/// <summary>One process a snapshot saved: its pid and command.</summary>
/// <param name="Pid">The pid it had.</param>
/// <param name="Command">Its command (comm) as saved: another user's choice.</param>
public sealed record SavedProcessName(int Pid, string Command);

/// <summary>Where the explorer's figures can come from: the live machine, or one snapshot file.</summary>
/// <param name="Id">"live", "s1", "s2"…</param>
/// <param name="File">The snapshot's file name (no directory), or the name an uploaded file came with; null for the live machine.</param>
/// <param name="Uploaded">Whether it came from the browser (pageatlas serve's upload) rather than --snapshot.</param>
/// <param name="Created">When the snapshot was taken; null for the live machine.</param>
/// <param name="Host">The machine it was taken on; null for the live machine.</param>
/// <param name="Frames">Whether the machine's frames are there (live: the kernel lets us read them; a snapshot: taken with --frames).</param>
/// <param name="Processes">The processes a snapshot holds; empty for the live machine (its list is the processes endpoint's).</param>
public sealed record SourceSummary(string Id, string? File, bool Uploaded, DateTimeOffset? Created, string? Host, bool Frames, IReadOnlyList<SavedProcessName> Processes)
{
    /// <summary>"live" or "snapshot".</summary>
    public string Kind => File is null ? "live" : "snapshot";
}

/// <summary>Writes the "pageatlas/sources" document: the explorer's sources (docs/json.md).</summary>
public static class SourceListJson
{
    /// <summary>Writes the whole document; <paramref name="maxUploadBytes"/> is the largest upload the server takes, null when uploads are off.</summary>
    public static void Write(Utf8JsonWriter json, IEnumerable<SourceSummary> sources, long? maxUploadBytes)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "sources");
        JsonRecords.WriteObjects(json, "sources", sources, (w, source) =>
        {
            w.WriteString("id", source.Id);
            w.WriteString("kind", source.Kind);
            if (source.File is { } file) w.WriteString("file", file); else w.WriteNull("file");
            w.WriteBoolean("uploaded", source.Uploaded);
            if (source.Created is { } created) w.WriteString("created", created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            else w.WriteNull("created");
            if (source.Host is { } host) w.WriteString("host", host); else w.WriteNull("host");
            w.WriteBoolean("frames", source.Frames);
            JsonRecords.WriteObjects(w, "processes", source.Processes, (p, process) =>
            {
                p.WriteNumber("pid", process.Pid);
                p.WriteString("command", process.Command);
            });
        });
        if (maxUploadBytes is { } most) json.WriteNumber("maxUploadBytes", most); else json.WriteNull("maxUploadBytes");
        json.WriteEndObject();
    }

    /// <summary>The answer to an upload ("pageatlas/source-added"): the new source's id and the name it is shown by.</summary>
    public static void WriteAdded(Utf8JsonWriter json, string id, string file)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "source-added");
        json.WriteString("id", id);
        json.WriteString("file", file);
        json.WriteEndObject();
    }
}
