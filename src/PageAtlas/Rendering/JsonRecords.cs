using System.Buffers;
using System.Buffers.Text;
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
    public const int SchemaVersion = 4;

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

    /// <summary>An array named <paramref name="name"/> of one object per item, its fields written by <paramref name="writeFields"/>.</summary>
    public static void WriteObjects<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            json.WriteStartObject();
            writeFields(json, item);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>"0x7f12…"</summary>
    public static void WriteHex(Utf8JsonWriter json, string name, ulong value)
    {
        json.WritePropertyName(name);
        WriteHexValue(json, value);
    }

    /// <summary>"0x7f12…", under a name encoded once.</summary>
    public static void WriteHex(Utf8JsonWriter json, JsonEncodedText name, ulong value)
    {
        json.WritePropertyName(name);
        WriteHexValue(json, value);
    }

    /// <summary>
    /// "0x…" holds nothing a JSON encoder would escape, so it is formatted on the stack and written as
    /// it is: a listing writes three per VMA and more per page, and each went through the encoder.
    /// </summary>
    public static void WriteHexValue(Utf8JsonWriter json, ulong value)
    {
        Span<byte> text = stackalloc byte[20];
        "\"0x"u8.CopyTo(text);
        Utf8Formatter.TryFormat(value, text[3..], out int digits, new StandardFormat('x'));
        text[3 + digits] = (byte)'"';
        json.WriteRawValue(text[..(4 + digits)], skipInputValidation: true);
    }

    // The names of a VMA's fields, encoded once: a name given as a string is checked for escapes at every write.
    private static readonly JsonEncodedText s_start = JsonEncodedText.Encode("start"), s_end = JsonEncodedText.Encode("end"),
        s_perms = JsonEncodedText.Encode("perms"), s_offset = JsonEncodedText.Encode("offset"), s_device = JsonEncodedText.Encode("device"),
        s_inode = JsonEncodedText.Encode("inode"), s_path = JsonEncodedText.Encode("path"), s_deleted = JsonEncodedText.Encode("deleted"),
        s_class = JsonEncodedText.Encode("class"), s_kind = JsonEncodedText.Encode("kind"), s_owner = JsonEncodedText.Encode("owner"),
        s_thread = JsonEncodedText.Encode("thread"), s_note = JsonEncodedText.Encode("note");

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
        WriteHex(json, s_start, vma.Start);
        WriteHex(json, s_end, vma.End);
        json.WriteString(s_perms, vma.Permissions.ToMapsString());
        WriteHex(json, s_offset, vma.Offset);
        json.WritePropertyName(s_device);
        WriteDeviceValue(json, vma);
        json.WriteNumber(s_inode, vma.Inode);
        json.WriteString(s_path, vma.Path);
        json.WriteBoolean(s_deleted, vma.IsDeleted);
        WriteClass(json, classified.Class);
        json.WriteString(s_note, classified.Note);
    }

    /// <summary>The VMA's device as <see cref="Vma.Device"/> spells it ("fe:00"), without a string per VMA.</summary>
    internal static void WriteDeviceValue(Utf8JsonWriter json, Vma vma)
    {
        Span<char> device = stackalloc char[17];
        device.TryWrite(CultureInfo.InvariantCulture, $"{vma.DeviceMajor:x2}:{vma.DeviceMinor:x2}", out int length);
        json.WriteStringValue(device[..length]);
    }

    /// <summary>The fields of <see cref="WriteVmaFields"/>, formed as bytes; false when a string needs escaping (the writer must write the row).</summary>
    internal static bool TryFormVmaFields(JsonRowBytes row, ClassifiedVma classified)
    {
        var vma = classified.Vma;
        row.Hex("start"u8, vma.Start);
        row.Hex("end"u8, vma.End);
        if (!row.String("perms"u8, vma.Permissions.ToMapsString())) return false;
        row.Hex("offset"u8, vma.Offset);
        Span<char> device = stackalloc char[17];
        device.TryWrite(CultureInfo.InvariantCulture, $"{vma.DeviceMajor:x2}:{vma.DeviceMinor:x2}", out int length);
        if (!row.String("device"u8, device[..length])) return false;
        row.Number("inode"u8, vma.Inode);
        if (!row.String("path"u8, vma.Path)) return false;
        row.Boolean("deleted"u8, vma.IsDeleted);
        var segment = classified.Class;
        row.StartObject("class"u8);
        if (!row.String("kind"u8, segment.KindName) || !row.String("owner"u8, segment.Owner)) return false;
        if (segment.ThreadId is { } tid) row.Number("thread"u8, tid); else row.Null("thread"u8);
        row.End();
        return row.String("note"u8, classified.Note);
    }

    /// <summary>
    /// "class": { "kind", "owner", "thread" } into the open object: the one shape of a segment class in
    /// every document (a VMA's, a class's row in composition, share and diff, a page's in pages).
    /// </summary>
    public static void WriteClass(Utf8JsonWriter json, SegmentClass segment)
    {
        json.WriteStartObject(s_class);
        json.WriteString(s_kind, segment.KindName);
        if (segment.Owner is { } owner) json.WriteString(s_owner, owner); else json.WriteNull(s_owner);
        if (segment.ThreadId is { } tid) json.WriteNumber(s_thread, tid); else json.WriteNull(s_thread);
        json.WriteEndObject();
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
