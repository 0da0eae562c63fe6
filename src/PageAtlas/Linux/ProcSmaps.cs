using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>
/// The one field of /proc/&lt;pid&gt;/smaps PageAtlas needs: a VMA's KernelPageSize. Each VMA is a
/// maps-style header line followed by "Key:   value kB" lines.
/// </summary>
public static class ProcSmaps
{
    /// <summary>KernelPageSize in bytes of the VMA starting at <paramref name="start"/>, or null if absent.</summary>
    public static ulong? KernelPageSize(string smaps, ulong start) =>
        KernelPageSizes(smaps).TryGetValue(start, out ulong size) ? size : null;

    /// <summary>KernelPageSize in bytes of every VMA, by start address.</summary>
    public static Dictionary<ulong, ulong> KernelPageSizes(string smaps)
    {
        var sizes = new Dictionary<ulong, ulong>();
        ulong? start = null;
        // Split on '\n' only: a VMA's path (escaped newlines aside) may hold '\r' or U+2028.
        var all = smaps.AsSpan();
        foreach (var range in all.Split('\n'))
        {
            var line = all[range];
            int dash = line.IndexOf('-');
            int colon = line.IndexOf(':');
            if (dash > 0 && (colon < 0 || dash < colon))
            {
                start = ulong.TryParse(line[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong s) ? s : null;
                continue;
            }
            if (start is not { } vma || !line.StartsWith("KernelPageSize:")) continue;
            var value = line["KernelPageSize:".Length..].Trim();
            int space = value.IndexOf(' ');
            sizes[vma] = ulong.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out ulong kb)
                ? kb * 1024 : throw new KernelDataException($"smaps: KernelPageSize of the VMA at 0x{vma:x} is not a number");
        }
        return sizes;
    }
}
