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
