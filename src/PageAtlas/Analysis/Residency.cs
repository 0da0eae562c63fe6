using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>How many pages of one VMA are present, swapped, or not populated.</summary>
/// <param name="Vma">The area.</param>
/// <param name="Pages">Virtual size in pages.</param>
/// <param name="Present">Pages with a frame.</param>
/// <param name="Swapped">Pages in swap.</param>
/// <param name="HugeLeafPages">Present pages mapped by a huge (2 MiB or 1 GiB) leaf.</param>
public sealed record VmaResidency(ClassifiedVma Vma, ulong Pages, ulong Present, ulong Swapped, ulong HugeLeafPages)
{
    /// <summary>Pages with no page-table entry: never touched, or reclaimed since.</summary>
    public ulong NotPopulated => Pages - Present - Swapped;
}

/// <summary>The residency of every VMA of a process, with totals.</summary>
/// <param name="Pid">The process.</param>
/// <param name="Command">Its command name.</param>
/// <param name="Machine">Page size and paging mode.</param>
/// <param name="Vmas">One row per VMA, in address order.</param>
/// <param name="Total">The sums over all VMAs.</param>
public sealed record ResidencyReport(int Pid, string Command, MachineInfo Machine, IReadOnlyList<VmaResidency> Vmas, ResidencyTotals Total);

/// <summary>Sums over all VMAs.</summary>
/// <param name="Pages">Virtual pages.</param>
/// <param name="Present">Present pages.</param>
/// <param name="Swapped">Swapped pages.</param>
/// <param name="HugeLeafPages">Present pages under huge leaves.</param>
public sealed record ResidencyTotals(ulong Pages, ulong Present, ulong Swapped, ulong HugeLeafPages)
{
    /// <summary>Pages neither present nor swapped.</summary>
    public ulong NotPopulated => Pages - Present - Swapped;
}

/// <summary>Counts, per VMA, the pages that are present, swapped, and not populated.</summary>
public static class Residency
{
    /// <summary>Walks every populated page of <paramref name="target"/> once.</summary>
    public static ResidencyReport Measure(IMemoryTarget target)
    {
        int pageSize = target.Machine.PageSize;
        var counts = new Dictionary<ClassifiedVma, (ulong Present, ulong Swapped, ulong Huge)>(ReferenceEqualityComparer.Instance);
        foreach (var batch in target.ReadPages(0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: false)))
        {
            counts.TryGetValue(batch.Vma, out var c);
            foreach (ref readonly var page in batch.Pages.Span)
            {
                if (page.Entry.IsPresent)
                {
                    c.Present++;
                    if (page.IsHugeLeaf) c.Huge++;
                }
                else if (page.Entry.IsSwapped) c.Swapped++;
            }
            counts[batch.Vma] = c;
        }
        var rows = target.Vmas.Select(v =>
        {
            counts.TryGetValue(v, out var c);
            return new VmaResidency(v, v.Vma.Size / (ulong)pageSize, c.Present, c.Swapped, c.Huge);
        }).ToList();
        var total = new ResidencyTotals(
            rows.Aggregate(0UL, (s, r) => s + r.Pages), rows.Aggregate(0UL, (s, r) => s + r.Present),
            rows.Aggregate(0UL, (s, r) => s + r.Swapped), rows.Aggregate(0UL, (s, r) => s + r.HugeLeafPages));
        return new ResidencyReport(target.Pid, target.Stat.Command, target.Machine, rows, total);
    }
}
