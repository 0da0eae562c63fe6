using System.Globalization;
using System.Text.Json;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>
/// The JSON pieces every report shares (docs/json.md). Addresses and frame numbers are written as
/// "0x…" strings because JSON numbers lose precision above 2^53.
/// </summary>
public static class JsonRecords
{
    /// <summary>The schema version every document carries; raised when a field changes meaning or goes away.</summary>
    public const int SchemaVersion = 2;

    /// <summary>Writes "schema" ("pageatlas/<paramref name="schema"/>") and "version" into the open object.</summary>
    public static void WriteSchema(Utf8JsonWriter json, string schema)
    {
        json.WriteString("schema", "pageatlas/" + schema);
        json.WriteNumber("version", SchemaVersion);
    }

    /// <summary>Writes "schema", "version", "pid", "command" and "machine" into the open object.</summary>
    public static void WriteHeader(Utf8JsonWriter json, string schema, int pid, string command, MachineInfo machine, FrameVisibility visibility)
    {
        WriteSchema(json, schema);
        json.WriteNumber("pid", pid);
        json.WriteString("command", command);
        json.WriteStartObject("machine");
        json.WriteString("kernel", machine.KernelRelease);
        json.WriteNumber("pageSize", machine.PageSize);
        json.WriteNumber("pagingLevels", machine.Paging.Levels);
        json.WriteNumber("virtualAddressBits", machine.Paging.VirtualAddressBits);
        json.WriteEndObject();
        json.WriteStartObject("visibility");
        json.WriteBoolean("pfns", visibility.PfnsVisible);
        json.WriteBoolean("frameFlags", visibility.FrameFlagsVisible);
        if (visibility.Reason is { } reason) json.WriteString("reason", reason);
        else json.WriteNull("reason");
        json.WriteEndObject();
    }

    /// <summary>Writes an array of strings ("notes", "explanation").</summary>
    public static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    /// <summary>"0x7f12…"</summary>
    public static void WriteHex(Utf8JsonWriter json, string name, ulong value)
    {
        // Formatted on the stack: a listing writes three per VMA and two or more per page.
        Span<char> text = stackalloc char[18];
        "0x".CopyTo(text);
        value.TryFormat(text[2..], out int digits, "x", CultureInfo.InvariantCulture);
        json.WriteString(name, text[..(2 + digits)]);
    }

    /// <summary>Writes a VMA with its class as a property named <paramref name="name"/> (or a bare object when null).</summary>
    public static void WriteVma(Utf8JsonWriter json, string? name, ClassifiedVma vma)
    {
        if (name is null) json.WriteStartObject(); else json.WriteStartObject(name);
        WriteVmaFields(json, vma);
        json.WriteEndObject();
    }

    /// <summary>The fields of a VMA, into the open object.</summary>
    public static void WriteVmaFields(Utf8JsonWriter json, ClassifiedVma classified)
    {
        var vma = classified.Vma;
        WriteHex(json, "start", vma.Start);
        WriteHex(json, "end", vma.End);
        json.WriteString("perms", vma.Permissions.ToMapsString());
        WriteHex(json, "offset", vma.Offset);
        Span<char> device = stackalloc char[17]; // as Vma.Device spells it, without a string per VMA
        device.TryWrite(CultureInfo.InvariantCulture, $"{vma.DeviceMajor:x2}:{vma.DeviceMinor:x2}", out int length);
        json.WriteString("device", device[..length]);
        json.WriteNumber("inode", vma.Inode);
        json.WriteString("path", vma.Path);
        json.WriteBoolean("deleted", vma.IsDeleted);
        json.WriteStartObject("class");
        json.WriteString("kind", classified.Class.KindName);
        if (classified.Class.Owner is { } owner) json.WriteString("owner", owner); else json.WriteNull("owner");
        if (classified.Class.ThreadId is { } tid) json.WriteNumber("thread", tid); else json.WriteNull("thread");
        json.WriteEndObject();
        json.WriteString("note", classified.Note);
    }

    /// <summary>The fields of a page record, into the open object.</summary>
    public static void WritePageFields(Utf8JsonWriter json, PageRecord page, int pageSize, FrameVisibility visibility)
    {
        var e = page.Entry;
        json.WriteString("state", StateName(page.State));
        WriteHex(json, "pagemap", e.Raw);
        if (e.IsPresent && visibility.PfnsVisible)
        {
            WriteHex(json, "pfn", e.Pfn);
            WriteHex(json, "frameAddress", e.Pfn * (ulong)pageSize);
        }
        else
        {
            json.WriteNull("pfn");
            json.WriteNull("frameAddress");
        }
        if (e.IsSwapped)
        {
            json.WriteNumber("swapType", e.SwapType);
            WriteHex(json, "swapOffset", e.SwapOffset);
        }
        json.WriteBoolean("exclusive", e.IsExclusive);
        json.WriteBoolean("softDirty", e.IsSoftDirty);
        json.WriteBoolean("uffdWp", e.IsUffdWriteProtected);
        json.WriteBoolean("fileOrSharedAnon", e.IsFileOrSharedAnon);
        json.WriteBoolean("hugeLeaf", page.IsHugeLeaf);
        if (e.IsPresent && visibility.FrameFlagsVisible)
        {
            WriteHex(json, "kpageflags", (ulong)page.Flags);
            json.WriteString("flags", FrameFlagNames.ToLongNames(page.Flags));
            json.WriteNumber("mapCount", page.MapCount);
        }
        else
        {
            json.WriteNull("kpageflags");
            json.WriteNull("flags");
            json.WriteNull("mapCount");
        }
    }

    /// <summary>"present", "swapped", "guard", "marker", "shared-swapped", "shared-resident", "not-populated", "unmapped".</summary>
    public static string StateName(PageState state) => state switch
    {
        PageState.Present => "present",
        PageState.Swapped => "swapped",
        PageState.Guard => "guard",
        PageState.Marker => "marker",
        PageState.SharedSwapped => "shared-swapped",
        PageState.SharedResident => "shared-resident",
        PageState.NotPopulated => "not-populated",
        _ => "unmapped",
    };
}
