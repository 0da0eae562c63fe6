using System.Text.Json;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>
/// One "pageatlas/mtest" JSON line per request mtest answers: the request as typed, then what peek
/// and poke would say of the byte (the same keys), or why it was not answered.
/// </summary>
public static class MtestJson
{
    /// <summary>An r request's answer: the byte read.</summary>
    public static void WriteRead(Utf8JsonWriter json, string input, PeekReport report)
    {
        Start(json, input, report.Pid, report.Address);
        json.WriteString("bytes", Convert.ToHexStringLower(report.Bytes));
        json.WriteEndObject();
    }

    /// <summary>A w request's answer: the byte before, the byte written, the byte after, and the page copied, if the write copied it.</summary>
    public static void WriteWritten(Utf8JsonWriter json, string input, PokeReport report)
    {
        Start(json, input, report.Pid, report.Address);
        json.WriteString("before", Convert.ToHexStringLower(report.Before));
        json.WriteString("written", Convert.ToHexStringLower(report.Written));
        json.WriteString("after", Convert.ToHexStringLower(report.After));
        MemoryJson.WriteCopiedPages(json, report);
        json.WriteEndObject();
    }

    /// <summary>A request that was not answered: why, and the exit code that cause means (mtest goes on with the next line).</summary>
    public static void WriteError(Utf8JsonWriter json, string input, string message, int exitCode)
    {
        Open(json, input);
        json.WriteString("error", message);
        json.WriteNumber("exitCode", exitCode);
        json.WriteEndObject();
    }

    private static void Start(Utf8JsonWriter json, string input, int pid, ulong address)
    {
        Open(json, input);
        json.WriteNumber("pid", pid);
        JsonRecords.WriteHex(json, "address", address);
    }

    /// <summary>Opens the line's object: the schema and the request as typed.</summary>
    private static void Open(Utf8JsonWriter json, string input)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "mtest");
        json.WriteString("input", input);
    }
}
