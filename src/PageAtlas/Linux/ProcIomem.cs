using System.Globalization;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// /proc/iomem's top level (lines without indentation): <c>00100000-bfffffff : System RAM</c>.
/// Only root sees real addresses; others see zeros, which this parser rejects as unreadable.
/// </summary>
public static class ProcIomem
{
    /// <summary>Parses the top-level ranges.</summary>
    /// <exception cref="KernelDataException">A line is malformed.</exception>
    public static IReadOnlyList<PhysicalRange> Parse(string text, string source = "/proc/iomem")
    {
        var ranges = new List<PhysicalRange>();
        int lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == ' ') continue;
            int dash = line.IndexOf('-'), colon = line.IndexOf(" : ", StringComparison.Ordinal);
            if (dash <= 0 || colon <= dash
                || !ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(line.AsSpan(dash + 1, colon - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
                throw new KernelDataException($"{source} line {lineNumber}: expected 'START-END : name'");
            ranges.Add(new PhysicalRange(start, end, line[(colon + 3)..].Trim()));
        }
        return ranges;
    }

    /// <summary>Reads /proc/iomem.</summary>
    /// <exception cref="PrivilegeRequiredException">The addresses read as zero (not root).</exception>
    public static IReadOnlyList<PhysicalRange> Read() => WithAddresses(Parse(ReadText()));

    /// <summary>The parsed ranges, when they show addresses.</summary>
    /// <exception cref="PrivilegeRequiredException">The addresses read as zero (not root).</exception>
    public static IReadOnlyList<PhysicalRange> WithAddresses(IReadOnlyList<PhysicalRange> ranges)
    {
        if (ranges.Count > 0 && ranges.All(r => r.Start == 0 && r.End == 0))
            throw new PrivilegeRequiredException("/proc/iomem", "/proc/iomem shows addresses only to root (CAP_SYS_ADMIN)");
        return ranges;
    }

    /// <summary>/proc/iomem as text (empty when absent), for parsing now or keeping in a snapshot.</summary>
    public static string ReadText() => ProcFs.TryReadText("/proc/iomem") ?? "";
}
