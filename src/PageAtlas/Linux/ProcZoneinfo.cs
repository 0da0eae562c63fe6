using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>A memory zone's extent in frames.</summary>
/// <param name="Node">NUMA node.</param>
/// <param name="Name">DMA, DMA32, Normal, Movable, Device.</param>
/// <param name="StartPfn">First frame (absent for an empty zone: 0).</param>
/// <param name="Spanned">Frames from the first to the last, holes included.</param>
/// <param name="Present">Frames that exist.</param>
/// <param name="Managed">Frames the buddy allocator manages.</param>
public sealed record MemoryZone(int Node, string Name, ulong StartPfn, ulong Spanned, ulong Present, ulong Managed)
{
    /// <summary>One past the zone's last frame.</summary>
    public ulong EndPfn => StartPfn + Spanned;
}

/// <summary>/proc/zoneinfo: per zone "Node 0, zone   Normal", then "spanned", "present", "managed" and "start_pfn:" lines.</summary>
public static class ProcZoneinfo
{
    /// <summary>Parses the zones (other fields are skipped).</summary>
    /// <exception cref="KernelDataException">A zone header or a count is malformed.</exception>
    public static IReadOnlyList<MemoryZone> Parse(string text, string source = "/proc/zoneinfo")
    {
        var zones = new List<MemoryZone>();
        MemoryZone? zone = null;
        int lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.StartsWith("Node ", StringComparison.Ordinal))
            {
                if (zone is not null) zones.Add(zone);
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 4 || !int.TryParse(f[1].TrimEnd(','), NumberStyles.None, CultureInfo.InvariantCulture, out int node))
                    throw new KernelDataException($"{source} line {lineNumber}: expected 'Node N, zone NAME'");
                zone = new MemoryZone(node, f[3], 0, 0, 0, 0);
                continue;
            }
            if (zone is null) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2) continue;
            ulong Value() => ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)
                ? v : throw new KernelDataException($"{source} line {lineNumber}: '{fields[1]}' is not a number");
            zone = fields[0] switch
            {
                "spanned" => zone with { Spanned = Value() },
                "present" => zone with { Present = Value() },
                "managed" => zone with { Managed = Value() },
                "start_pfn:" => zone with { StartPfn = Value() },
                _ => zone,
            };
        }
        if (zone is not null) zones.Add(zone);
        return zones;
    }

    /// <summary>Reads /proc/zoneinfo (empty when absent).</summary>
    public static IReadOnlyList<MemoryZone> Read() => Parse(ReadText());

    /// <summary>/proc/zoneinfo as text (empty when absent), for parsing now or keeping in a snapshot.</summary>
    public static string ReadText() => ProcFs.TryReadText("/proc/zoneinfo") ?? "";
}
