using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>/proc/meminfo: "Key:   value kB" lines (HugePages_* are plain counts).</summary>
public sealed class ProcMeminfo
{
    private readonly Dictionary<string, ulong> _values;

    private ProcMeminfo(Dictionary<string, ulong> values) => _values = values;

    /// <summary>Parses the whole file.</summary>
    /// <exception cref="KernelDataException">A line has no number.</exception>
    public static ProcMeminfo Parse(string text, string source = "/proc/meminfo")
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        int lineNumber = 0;
        var all = text.AsSpan();
        foreach (var range in all.Split('\n'))
        {
            var line = all[range];
            lineNumber++;
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var value = line[(colon + 1)..].Trim();
            int space = value.IndexOf(' ');
            if (!ulong.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out ulong number))
                throw new KernelDataException($"{source} line {lineNumber}: expected a number after '{line[..colon]}:'");
            values[line[..colon].ToString()] = space < 0 ? number : number * 1024;
        }
        return new ProcMeminfo(values);
    }

    /// <summary>A field in bytes (kB fields) or as a count (HugePages_*), or null when this kernel lacks it.</summary>
    public ulong? this[string key] => _values.TryGetValue(key, out ulong v) ? v : null;

    /// <summary>Reads /proc/meminfo.</summary>
    public static ProcMeminfo Read() => Parse(ReadText());

    /// <summary>/proc/meminfo as text (empty when absent), for parsing now or keeping in a snapshot.</summary>
    public static string ReadText() => ProcFs.TryReadText("/proc/meminfo") ?? "";
}
