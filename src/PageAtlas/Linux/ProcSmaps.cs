using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>The fields of one VMA in /proc/&lt;pid&gt;/smaps that PageAtlas reads, in bytes.</summary>
/// <param name="KernelPageSize">The page size the kernel maps the VMA with (a hugetlbfs page size, or the base page size).</param>
/// <param name="Swap">Swap: swap entries in the page table, plus what a shared-memory object behind the VMA keeps in swap in its range.</param>
public readonly record struct SmapsArea(ulong KernelPageSize, ulong Swap);

/// <summary>
/// The fields of /proc/&lt;pid&gt;/smaps PageAtlas needs: each VMA's KernelPageSize, Swap and VmFlags.
/// Each VMA is a maps-style header line followed by "Key:   value kB" lines, VmFlags last.
/// </summary>
public static class ProcSmaps
{
    /// <summary>KernelPageSize in bytes of the VMA starting at <paramref name="start"/>, or null if absent.</summary>
    public static ulong? KernelPageSize(string smaps, ulong start) =>
        Parse(smaps).TryGetValue(start, out var area) && area.KernelPageSize != 0 ? area.KernelPageSize : null;

    /// <summary>Every VMA's figures, by start address (a field the kernel did not print reads as 0).</summary>
    /// <exception cref="KernelDataException">A figure is not a number.</exception>
    public static Dictionary<ulong, SmapsArea> Parse(string smaps)
    {
        var areas = new Dictionary<ulong, SmapsArea>();
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
                if (start is { } first) areas[first] = default;
                continue;
            }
            if (start is not { } vma) continue;
            if (line.StartsWith("KernelPageSize:")) areas[vma] = areas[vma] with { KernelPageSize = Kilobytes(line, vma) };
            else if (line.StartsWith("Swap:")) areas[vma] = areas[vma] with { Swap = Kilobytes(line, vma) };
        }
        return areas;
    }

    /// <summary>"Name:   123 kB" as bytes.</summary>
    private static ulong Kilobytes(ReadOnlySpan<char> line, ulong vma)
    {
        int colon = line.IndexOf(':');
        var value = line[(colon + 1)..].Trim();
        int space = value.IndexOf(' ');
        return ulong.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out ulong kb)
            ? kb * 1024
            : throw new KernelDataException($"smaps: {line[..colon]} of the VMA at 0x{vma:x} is not a number");
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
