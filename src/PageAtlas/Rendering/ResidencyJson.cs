using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="ResidencyReport"/> as the "pageatlas/maps" document.</summary>
public static class ResidencyJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, ResidencyReport report, FrameVisibility visibility) => Write(json, report, visibility, rowsAsBytes: true);

    /// <summary>Writes the whole document; each row formed as bytes (<see cref="JsonRowBytes"/>) where it can be, or every one through the writer.</summary>
    internal static void Write(Utf8JsonWriter json, ResidencyReport report, FrameVisibility visibility, bool rowsAsBytes)
    {
        WriteStart(json, report.Pid, report.Command, report.Machine, visibility);
        var rows = new RowWriter(json, report.Machine.PageSize, rowsAsBytes);
        foreach (var row in report.Vmas) rows.Write(row);
        WriteEnd(json, report.Vmas.Count, report.Total, report.Notes, report.Machine.PageSize);
    }

    /// <summary>
    /// Writes the document of <paramref name="target"/>'s VMAs (the same bytes as <see cref="Write(Utf8JsonWriter, ResidencyReport, FrameVisibility)"/>
    /// of <see cref="Residency.Measure(IMemoryTarget)"/>), each row as soon as its VMA's pages are counted
    /// (<see cref="Residency.Each(IMemoryTarget, Action{VmaResidency})"/>): the rows are written while the later pages are read, and none is kept.
    /// </summary>
    public static void Write(Utf8JsonWriter json, IMemoryTarget target)
    {
        WriteStart(json, target.Pid, target.Facts.Name, target.Machine, target.Visibility);
        var rows = new RowWriter(json, target.Machine.PageSize, rowsAsBytes: true);
        var (total, notes) = Residency.Each(target, rows.Write);
        WriteEnd(json, target.Vmas.Count, total, notes, target.Machine.PageSize);
    }

    private static void WriteStart(Utf8JsonWriter json, int pid, string command, MachineInfo machine, FrameVisibility visibility)
    {
        json.WriteStartObject();
        JsonRecords.WriteHeader(json, "maps", pid, command, machine, visibility);
        json.WriteStartArray("vmas");
    }

    /// <summary>Closes the open "vmas" array, then writes "totals" and "notes" and closes the document (pageatlas/maps-compact ends as this one).</summary>
    internal static void WriteEnd(Utf8JsonWriter json, int vmaCount, ResidencyCounts total, IReadOnlyList<string> notes, int pageSize)
    {
        json.WriteEndArray();
        json.WriteStartObject("totals");
        json.WriteNumber("vmaCount", vmaCount);
        WriteCounts(json, total, pageSize);
        json.WriteEndObject();
        JsonRecords.WriteStrings(json, "notes", notes);
        json.WriteEndObject();
    }

    /// <summary>Writes rows of the "vmas" array: each formed as bytes where it can be, else through the writer.</summary>
    private sealed class RowWriter(Utf8JsonWriter json, int pageSize, bool rowsAsBytes)
    {
        private readonly JsonRowBytes? _bytes = rowsAsBytes && JsonRowBytes.Matches(json.Options) ? new JsonRowBytes(json.Options) : null;

        public void Write(VmaResidency row)
        {
            if (_bytes is not null && TryForm(_bytes, row, json.CurrentDepth, pageSize))
            {
                json.WriteRawValue(_bytes.Written, skipInputValidation: true);
                return;
            }
            json.WriteStartObject();
            JsonRecords.WriteVmaFields(json, row.Vma);
            WriteCounts(json, row.Counts, pageSize);
            json.WriteEndObject();
        }
    }

    // Encoded once: ten counts per VMA, and a name given as a string is checked for escapes at every write.
    private static readonly JsonEncodedText s_size = JsonEncodedText.Encode("sizeBytes"), s_pages = JsonEncodedText.Encode("sizePages"),
        s_present = JsonEncodedText.Encode("presentPages"), s_zeroPage = JsonEncodedText.Encode("zeroPages"), s_swapped = JsonEncodedText.Encode("swappedPages"),
        s_sharedSwapped = JsonEncodedText.Encode("sharedSwappedPages"), s_guard = JsonEncodedText.Encode("guardPages"), s_markers = JsonEncodedText.Encode("markerPages"),
        s_notPopulated = JsonEncodedText.Encode("notPopulatedPages"), s_hugeLeafPages = JsonEncodedText.Encode("hugeLeafPages");

    /// <summary>A row as the writer writes it (false when a string in it needs escaping: the writer then writes it).</summary>
    internal static bool TryForm(JsonRowBytes bytes, VmaResidency row, int depth, int pageSize)
    {
        bytes.Start(depth);
        if (!JsonRecords.TryFormVmaFields(bytes, row.Vma)) return false;
        var c = row.Counts;
        bytes.Number("sizeBytes"u8, c.Pages * (ulong)pageSize);
        bytes.Number("sizePages"u8, c.Pages);
        bytes.Number("presentPages"u8, c.Present);
        bytes.Number("zeroPages"u8, c.ZeroPage);
        bytes.Number("swappedPages"u8, c.Swapped);
        bytes.Number("sharedSwappedPages"u8, c.SharedSwapped);
        bytes.Number("guardPages"u8, c.Guard);
        bytes.Number("markerPages"u8, c.Markers);
        bytes.Number("notPopulatedPages"u8, c.NotPopulated);
        bytes.Number("hugeLeafPages"u8, c.HugeLeafPages);
        bytes.End();
        return true;
    }

    private static void WriteCounts(Utf8JsonWriter json, ResidencyCounts c, int pageSize)
    {
        json.WriteNumber(s_size, c.Pages * (ulong)pageSize);
        json.WriteNumber(s_pages, c.Pages);
        json.WriteNumber(s_present, c.Present);
        json.WriteNumber(s_zeroPage, c.ZeroPage);
        json.WriteNumber(s_swapped, c.Swapped);
        json.WriteNumber(s_sharedSwapped, c.SharedSwapped);
        json.WriteNumber(s_guard, c.Guard);
        json.WriteNumber(s_markers, c.Markers);
        json.WriteNumber(s_notPopulated, c.NotPopulated);
        json.WriteNumber(s_hugeLeafPages, c.HugeLeafPages);
    }
}
