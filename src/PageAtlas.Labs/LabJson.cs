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
    /// failed (with the one-line reason), and when done its report as the "pageatlas/lab" document.
    /// </summary>
    public static void WriteRun(Utf8JsonWriter json, string? name, string state, string? error, LabReport? report)
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
        json.WriteEndObject();
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
                json.WriteEndObject();
            }
            json.WriteEndArray();
            JsonRecords.WriteStrings(json, "observations", report.Observations);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
