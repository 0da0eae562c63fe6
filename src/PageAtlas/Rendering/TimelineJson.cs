using System.Globalization;
using System.Text.Json;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="TimelineSample"/> as one "pageatlas/watch" JSON line.</summary>
public static class TimelineJson
{
    /// <summary>Writes one sample as an object.</summary>
    public static void Write(Utf8JsonWriter json, TimelineSample s)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "watch");
        json.WriteNumber("sequence", s.Sequence);
        json.WriteString("time", s.Time.ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("virtualBytes", s.VirtualBytes);
        json.WriteNumber("presentPages", s.Present);
        JsonRecords.WriteHex(json, "break", s.Break);
        json.WriteNumber("becamePresentPages", s.BecamePresent);
        json.WriteNumber("leftPages", s.Left);
        json.WriteBoolean("everyVma", s.EveryVma);
        json.WriteStartArray("changes");
        foreach (var c in s.Changes)
        {
            json.WriteStartObject();
            JsonRecords.WriteVma(json, "vma", c.Vma);
            json.WriteString("change", VmaChangeWords.Watch(c.Change));
            json.WriteNumber("presentPages", c.Present);
            json.WriteNumber("becamePresentPages", c.BecamePresent);
            json.WriteNumber("leftPages", c.Left);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
