using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="FrameOwnersReport"/> as the "pageatlas/frame" document.</summary>
public static class FrameOwnersJson
{
    /// <summary>Writes the whole document; <paramref name="seconds"/> is how long the search took.</summary>
    public static void Write(Utf8JsonWriter json, FrameOwnersReport report, double seconds)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "frame");
        JsonRecords.WriteHex(json, "pfn", report.Pfn);
        JsonRecords.WriteHex(json, "physicalAddress", report.PhysicalAddress);
        JsonRecords.WriteHex(json, "kpageflags", (ulong)report.Flags);
        json.WriteString("flags", FrameFlagNames.ToLongNames(report.Flags));
        json.WriteNumber("mapCount", report.MapCount);
        if (report.CgroupInode is { } inode) json.WriteNumber("cgroupInode", inode); else json.WriteNull("cgroupInode");
        if (report.CgroupPath is { } path) json.WriteString("cgroup", path); else json.WriteNull("cgroup");
        json.WriteStartArray("mappings");
        foreach (var m in report.Mappings)
        {
            json.WriteStartObject();
            json.WriteNumber("pid", m.Pid);
            json.WriteString("command", m.Command);
            JsonRecords.WriteHex(json, "address", m.Address);
            JsonRecords.WriteVma(json, "vma", m.Vma);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("processesSearched", report.ProcessesSearched);
        json.WriteNumber("processesSkipped", report.ProcessesSkipped);
        json.WriteBoolean("stoppedEarly", report.StoppedEarly);
        json.WriteNumber("seconds", seconds);
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }
}
