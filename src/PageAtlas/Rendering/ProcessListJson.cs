using System.Text.Json;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>The <c>pageatlas/ps</c> document (docs/json.md): every listed process, sizes in bytes as in composition.</summary>
public static class ProcessListJson
{
    /// <summary>Writes the document: schema, processes in the listed order, what was skipped.</summary>
    public static void Write(Utf8JsonWriter json, IEnumerable<ProcessSummary> processes, ProcessScan scan) =>
        Write(json, processes, scan.Vanished, scan.Refused);

    /// <summary>
    /// As above, with what was skipped counted by the caller (a saved list skips nothing), and for a
    /// server's answer from its last reading, when that reading was taken (<c>measured</c>).
    /// </summary>
    public static void Write(Utf8JsonWriter json, IEnumerable<ProcessSummary> processes, int vanished, int refused, ReadingAge? measured = null)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "ps");
        json.WriteStartArray("processes");
        foreach (var p in processes)
        {
            json.WriteStartObject();
            json.WriteNumber("pid", p.Pid);
            json.WriteNumber("uid", p.Uid);
            json.WriteString("user", p.User);
            json.WriteString("command", p.Command);
            json.WriteNumber("rssBytes", p.Rss);
            json.WriteNumber("pssBytes", p.Pss);
            json.WriteNumber("ussBytes", p.Uss);
            json.WriteNumber("swapBytes", p.Swap);
            json.WriteNumber("anonHugePagesBytes", p.Thp);
            json.WriteNumber("vmaCount", p.Vmas);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("skipped");
        json.WriteNumber("vanished", vanished);
        json.WriteNumber("refused", refused);
        json.WriteEndObject();
        if (measured is not null)
        {
            json.WriteStartObject("measured");
            json.WriteString("time", measured.StartedAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("ageSeconds", Math.Round(measured.Age.TotalSeconds, 3));
            json.WriteNumber("sequence", measured.Collection);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
