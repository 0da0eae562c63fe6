using System.Globalization;

namespace PageAtlas.LiveTests;

/// <summary>
/// An independent reading of /proc/&lt;pid&gt;/smaps, parsed here without PageAtlas' code, to check
/// PageAtlas against the kernel's own accounting.
/// </summary>
public static class Smaps
{
    public static Dictionary<ulong, Dictionary<string, ulong>> Read(int pid)
    {
        var result = new Dictionary<ulong, Dictionary<string, ulong>>();
        Dictionary<string, ulong>? current = null;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            int colon = line.IndexOf(':');
            int dash = line.IndexOf('-');
            if (dash > 0 && (colon < 0 || dash < colon) && ulong.TryParse(line[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start))
            {
                result[start] = current = [];
                continue;
            }
            if (current is null || colon < 0) continue;
            var value = line[(colon + 1)..].Trim().Split(' ')[0];
            if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n)) current[line[..colon]] = n;
        }
        return result;
    }

    /// <summary>/proc/&lt;pid&gt;/smaps_rollup's figures in kB, by field name.</summary>
    public static Dictionary<string, ulong> Rollup(int pid)
    {
        var fields = new Dictionary<string, ulong>();
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup").Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && ulong.TryParse(line[(colon + 1)..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong kb))
                fields[line[..colon]] = kb;
        }
        return fields;
    }

    /// <summary>Each VMA's maps-style header line, its path and its Rss in kB.</summary>
    public static List<(string Header, string Path, ulong RssKb)> Areas(int pid)
    {
        var areas = new List<(string Header, string Path, ulong RssKb)>();
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            int colon = line.IndexOf(':');
            int dash = line.IndexOf('-');
            if (dash > 0 && (colon < 0 || dash < colon))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                areas.Add((line.TrimEnd(), fields.Length > 5 ? fields[5].Trim() : "", 0));
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                areas[^1] = areas[^1] with { RssKb = ulong.Parse(line[4..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) };
            }
        }
        return areas;
    }
}
