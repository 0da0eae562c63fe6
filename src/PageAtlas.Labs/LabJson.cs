using System.Text.Json;
using PageAtlas.Labs;
using PageAtlas.Rendering;

namespace PageAtlas.Labs;

/// <summary>Writes lab reports as the "pageatlas/lab" document.</summary>
public static class LabJson
{
    /// <summary>The labs there are ("pageatlas/labs", `lab --json` without a name): each one's name and title.</summary>
    public static void WriteCatalog(Utf8JsonWriter json, IEnumerable<ILab> labs)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "labs");
        JsonRecords.WriteObjects(json, "labs", labs, (w, lab) =>
        {
            w.WriteString("name", lab.Name);
            w.WriteString("title", lab.Title);
        });
        json.WriteEndObject();
    }

    /// <summary>
    /// The explorer's lab run ("pageatlas/lab-run"): which lab, whether it is still running, done or
    /// failed (with the one-line reason), when done its report as the "pageatlas/lab" document, and the
    /// source (the explorer's id) of the snapshot its links point into, or why there is none.
    /// </summary>
    public static void WriteRun(Utf8JsonWriter json, string? name, string state, string? error, LabReport? report, string? source, string? sourceNote)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "lab-run");
        if (name is null) json.WriteNull("name"); else json.WriteString("name", name);
        json.WriteString("state", state);
        if (error is null) json.WriteNull("error"); else json.WriteString("error", error);
        if (report is null) json.WriteNull("report");
        else
        {
            json.WritePropertyName("report");
            Write(json, [report]);
        }
        if (source is null) json.WriteNull("source"); else json.WriteString("source", source);
        if (sourceNote is null) json.WriteNull("sourceNote"); else json.WriteString("sourceNote", sourceNote);
        json.WriteEndObject();
    }

    /// <summary>The view names links carry: the explorer's routes are drawn from them.</summary>
    private static string ViewName(LabView view) => view switch
    {
        LabView.AddressSpace => "address-space",
        LabView.Page => "page",
        LabView.Frame => "frame",
        _ => "share",
    };

    private static void WriteLink(Utf8JsonWriter json, LabLink link)
    {
        json.WriteString("view", ViewName(link.View));
        json.WriteString("label", link.Label);
        json.WriteStartArray("pids");
        foreach (int pid in link.Pids) json.WriteNumberValue(pid);
        json.WriteEndArray();
        if (link.Address is { } address) JsonRecords.WriteHex(json, "address", address); else json.WriteNull("address");
        if (link.Frame is { } pfn) JsonRecords.WriteHex(json, "pfn", pfn); else json.WriteNull("pfn");
    }

    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, IReadOnlyList<LabReport> reports)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "lab");
        json.WriteStartArray("labs");
        foreach (var report in reports)
        {
            json.WriteStartObject();
            json.WriteString("name", report.Name);
            json.WriteString("title", report.Title);
            json.WriteString("seed", report.Seed);
            json.WriteBoolean("allHold", report.AllHold);
            json.WriteStartArray("verdicts");
            foreach (var v in report.Verdicts)
            {
                json.WriteStartObject();
                json.WriteString("claim", v.Claim);
                json.WriteBoolean("holds", v.Holds);
                json.WriteString("evidence", v.Evidence);
                JsonRecords.WriteObjects(json, "links", v.Links, WriteLink);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            JsonRecords.WriteStrings(json, "observations", report.Observations);
            json.WriteStartArray("subjects");
            foreach (int pid in report.Subjects) json.WriteNumberValue(pid);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
