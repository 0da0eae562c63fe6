using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>One segment class's share of a sample: watch's compact first sample, a line per kind instead of per VMA.</summary>
/// <param name="Kind">The class (heap, stack, a library's text…).</param>
/// <param name="Vmas">How many VMAs it has.</param>
/// <param name="VirtualBytes">Their total size.</param>
/// <param name="Present">Their present pages.</param>
public sealed record SegmentKindTotal(SegmentKind Kind, int Vmas, ulong VirtualBytes, ulong Present)
{
    /// <summary>The totals of these VMAs' changes per kind, largest present first.</summary>
    public static IReadOnlyList<SegmentKindTotal> Of(IEnumerable<VmaChange> changes) =>
        changes.GroupBy(c => c.Vma.Class.Kind)
            .Select(g => new SegmentKindTotal(g.Key, g.Count(), g.Aggregate(0UL, (s, c) => s + c.Vma.Vma.Size), g.Aggregate(0UL, (s, c) => s + c.Present)))
            .OrderByDescending(t => t.Present).ThenByDescending(t => t.VirtualBytes).ToList();
}
