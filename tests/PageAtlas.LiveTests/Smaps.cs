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
}
