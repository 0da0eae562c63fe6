using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>Writes peek and poke reports ("pageatlas/peek", "pageatlas/poke").</summary>
public static class MemoryJson
{
    /// <summary>The whole peek document.</summary>
    public static void WritePeek(Utf8JsonWriter json, PeekReport report, IMemoryTarget target)
    {
        json.WriteStartObject();
        JsonRecords.WriteHeader(json, "peek", target.Pid, target.Facts.Name, target.Machine, target.Visibility);
        JsonRecords.WriteHex(json, "address", report.Address);
        json.WriteString("bytes", Convert.ToHexStringLower(report.Bytes));
        WritePages(json, "translations", report.Pages, target.Visibility);
        json.WriteEndObject();
    }

    /// <summary>The whole poke document.</summary>
    public static void WritePoke(Utf8JsonWriter json, PokeReport report, IMemoryTarget target)
    {
        json.WriteStartObject();
        JsonRecords.WriteHeader(json, "poke", target.Pid, target.Facts.Name, target.Machine, target.Visibility);
        JsonRecords.WriteHex(json, "address", report.Address);
        json.WriteString("before", Convert.ToHexStringLower(report.Before));
        json.WriteString("written", Convert.ToHexStringLower(report.Written));
        json.WriteString("after", Convert.ToHexStringLower(report.After));
        WritePages(json, "translationsBefore", report.PagesBefore, target.Visibility);
        WritePages(json, "translationsAfter", report.PagesAfter, target.Visibility);
        WriteCopiedPages(json, report);
        json.WriteEndObject();
    }

    /// <summary>"copiedPageAddresses": the pages whose frame the write changed (the kernel gave the process its own copy).</summary>
    public static void WriteCopiedPages(Utf8JsonWriter json, PokeReport report)
    {
        json.WriteStartArray("copiedPageAddresses");
        foreach (var (before, _) in report.CopiedPages) JsonRecords.WriteHexValue(json, before.Address & ~4095UL);
        json.WriteEndArray();
    }

    private static void WritePages(Utf8JsonWriter json, string name, IReadOnlyList<PageTranslation> pages, FrameVisibility visibility)
    {
        json.WriteStartArray(name);
        foreach (var page in pages) TranslationJson.WriteRow(json, page, visibility);
        json.WriteEndArray();
    }
}
