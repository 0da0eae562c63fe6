using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>
/// The fields of /proc/&lt;pid&gt;/smaps PageAtlas needs: a VMA's KernelPageSize and its VmFlags. Each
/// VMA is a maps-style header line followed by "Key:   value kB" lines, VmFlags last.
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

    /// <summary>
    /// Each VMA's range and VmFlags: two-letter names of its vm_flags bits ("rd wr sh mr mw me ac",
    /// fs/proc/task_mmu.c show_smap_vma_flags), in address order.
    /// </summary>
    public static List<(ulong Start, ulong End, HashSet<string> Flags)> VmFlags(string smaps)
    {
        var vmas = new List<(ulong Start, ulong End, HashSet<string> Flags)>();
        (ulong Start, ulong End)? current = null;
        foreach (var line in smaps.AsSpan().EnumerateLines())
        {
            int dash = line.IndexOf('-');
            int colon = line.IndexOf(':');
            if (dash > 0 && (colon < 0 || dash < colon))
            {
                int space = line.IndexOf(' ');
                current = space > dash
                    && ulong.TryParse(line[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                    && ulong.TryParse(line[(dash + 1)..space], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end)
                    ? (start, end) : throw new KernelDataException($"smaps: '{line}' is not a VMA header");
                continue;
            }
            if (current is not { } vma || !line.StartsWith("VmFlags:")) continue;
            vmas.Add((vma.Start, vma.End, new HashSet<string>(line["VmFlags:".Length..].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)));
        }
        return vmas;
    }
}
