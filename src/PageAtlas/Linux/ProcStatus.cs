using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>
/// /proc/&lt;pid&gt;/status as "Key:\tvalue" pairs, with typed accessors for the fields PageAtlas uses.
/// </summary>
public sealed class ProcStatus
{
    private readonly Dictionary<string, string> _fields;

    private ProcStatus(Dictionary<string, string> fields, string text)
    {
        _fields = fields;
        RawText = text;
    }

    /// <summary>The file as the kernel wrote it (kept in snapshots, parsed again when they are read).</summary>
    public string RawText { get; }

    /// <summary>Parses the whole file.</summary>
    public static ProcStatus Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var all = text.AsSpan();
        foreach (var range in all.Split('\n'))
        {
            var line = all[range];
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            fields[line[..colon].ToString()] = line[(colon + 1)..].Trim().ToString();
        }
        return new ProcStatus(fields, text);
    }

    /// <summary>The raw value of a field, or null.</summary>
    public string? this[string key] => _fields.GetValueOrDefault(key);

    /// <summary>A "NNN kB" field in bytes, or null when absent (a kernel thread has no Vm* fields).</summary>
    public ulong? Kilobytes(string key)
    {
        if (this[key] is not { } value) return null;
        var number = value.AsSpan();
        int space = number.IndexOf(' ');
        if (space > 0) number = number[..space];
        return ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out ulong kb) ? kb * 1024 : null;
    }

    /// <summary>A plain decimal field ("Threads"), or null.</summary>
    public long? Number(string key) =>
        this[key] is { } value && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? n : null;

    /// <summary>Name: the command name.</summary>
    public string? Name => this["Name"];
    /// <summary>VmPTE: bytes of page tables the kernel accounts to the process.</summary>
    public ulong? PageTableBytes => Kilobytes("VmPTE");
    /// <summary>VmRSS in bytes.</summary>
    public ulong? ResidentBytes => Kilobytes("VmRSS");
    /// <summary>Threads: number of tasks.</summary>
    public long? Threads => Number("Threads");

    /// <summary>CapEff as a bit mask.</summary>
    public ulong EffectiveCapabilities =>
        this["CapEff"] is { } v && ulong.TryParse(v, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong caps) ? caps : 0;
}
