using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>
/// Writes a <see cref="PhysicalMapReport"/> for a terminal: a grid, one character per cell giving the
/// kind most of its frames hold, one line per row of cells starting with its physical address, zone
/// starts marked, stretches outside RAM named instead of drawn; then each iomem range and the legend.
/// </summary>
public static class PhysicalMapText
{
    /// <summary>Cells per line of the grid.</summary>
    public const int CellsPerLine = 64;

    /// <summary>The character drawn for each kind.</summary>
    public static char Letter(FrameKind kind) => kind switch
    {
        FrameKind.Free => '.',
        FrameKind.Anonymous => 'a',
        FrameKind.File => 'f',
        FrameKind.Shmem => 's',
        FrameKind.Slab => 'S',
        FrameKind.PageTable => 'p',
        FrameKind.Hugetlb => 'H',
        FrameKind.Reserved => 'r',
        FrameKind.Unflagged => 'k',
        FrameKind.Uninitialised => '_',
        FrameKind.Other => 'o',
        _ => ' ',
    };

    /// <summary>Words for each kind.</summary>
    public static string Describe(FrameKind kind) => kind switch
    {
        FrameKind.Free => "free (buddy block heads, and the unflagged frames their block can span)",
        FrameKind.Anonymous => "anonymous",
        FrameKind.File => "file page cache",
        FrameKind.Shmem => "shared memory (shmem/tmpfs)",
        FrameKind.Slab => "slab",
        FrameKind.PageTable => "page tables",
        FrameKind.Hugetlb => "hugetlbfs",
        FrameKind.Reserved => "reserved",
        FrameKind.Unflagged => "no flags: kernel allocations",
        FrameKind.Uninitialised => "free, not yet initialised by the kernel (in MemFree, in no buddy block)",
        FrameKind.Other => "other flagged",
        _ => "absent (no struct page, offline, poisoned)",
    };

    /// <summary>Writes the whole picture.</summary>
    public static void Write(TextWriter writer, PhysicalMapReport map, Func<ulong, string> size)
    {
        ulong pageSize = (ulong)map.PageSize;
        writer.WriteLine($"physical memory: frames 0x0–0x{map.FrameLimit:x} ({size(map.FrameLimit * pageSize)}); each character is {map.FramesPerCell} frames ({size(map.FramesPerCell * pageSize)}), the kind most of them hold");
        var ram = map.Ranges.Where(r => r.Range.IsSystemRam).Select(r => r.Range).ToArray();
        string? gap = null;
        for (int line = 0; line * CellsPerLine < map.Cells.Count; line++)
        {
            var cells = map.Cells.Skip(line * CellsPerLine).Take(CellsPerLine).ToArray();
            ulong start = cells[0].FirstPfn * pageSize, end = (cells[^1].FirstPfn + cells[^1].Frames) * pageSize;
            foreach (var zone in map.Zones.Where(z => z.StartPfn * pageSize >= start && z.StartPfn * pageSize < end))
                writer.WriteLine($"  -- zone {zone.Name} (node {zone.Node}) starts at 0x{zone.StartPfn * pageSize:x}: {zone.Present} frames present, {zone.Managed} managed");
            if (!ram.Any(r => r.Start < end && r.End >= start))
            {
                var names = map.Ranges.Where(r => r.Range.Start < end && r.Range.End >= start).Select(r => r.Range.Name).Distinct();
                string what = string.Join(", ", names);
                if (gap is null) writer.WriteLine($"0x{start:x10}  (not RAM{(what.Length > 0 ? ": " + what : "")})");
                gap = what;
                continue;
            }
            gap = null;
            writer.WriteLine($"0x{start:x10}  {new string(cells.Select(c => Letter(c.Dominant)).ToArray())}");
        }

        writer.WriteLine();
        writer.WriteLine("ranges (/proc/iomem):");
        foreach (var range in map.Ranges)
        {
            string span = $"0x{range.Range.Start:x10}–0x{range.Range.End:x10}  {size(range.Range.End - range.Range.Start + 1),9}  {range.Range.Name}";
            if (!range.Range.IsSystemRam) { writer.WriteLine($"  {span}"); continue; }
            var parts = Enum.GetValues<FrameKind>().Where(k => range.Kinds[k] > 0).OrderByDescending(k => range.Kinds[k])
                .Select(k => $"{Letter(k)} {size(range.Kinds[k] * pageSize)}");
            writer.WriteLine($"  {span}: {string.Join(", ", parts)}");
        }

        writer.WriteLine();
        writer.WriteLine("legend (whole machine):");
        foreach (var kind in Enum.GetValues<FrameKind>())
            writer.WriteLine($"  '{Letter(kind)}'  {size(map.Total[kind] * pageSize),9}  {Describe(kind)}");
        writer.WriteLine($"free in buddy blocks by the estimate above: {size(map.Total[FrameKind.Free] * pageSize)}; by /proc/buddyinfo (exact): {size(map.BuddyinfoFreePages * pageSize)}");
        if (map.Total[FrameKind.Uninitialised] > 0)
            writer.WriteLine($"free but not yet initialised ('{Letter(FrameKind.Uninitialised)}'): {size(map.Total[FrameKind.Uninitialised] * pageSize)}, which MemFree counts and /proc/buddyinfo does not");
    }
}
