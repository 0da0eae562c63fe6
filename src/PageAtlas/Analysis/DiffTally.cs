using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// What <see cref="MemoryDiff"/> keeps as the pages go by, in address order: runs of changed pages
/// (consecutive pages that changed the same way join one run), present pages and changes per
/// segment class, and totals. It grows with what changed, never with the pages compared.
/// </summary>
internal sealed class DiffTally(ulong pageSize)
{
    private readonly Dictionary<string, ClassCounts> _classes = new(StringComparer.Ordinal);
    private readonly ulong[] _totals = new ulong[Enum.GetValues<PageChange>().Length];
    private ClassifiedVma? _lastVma;
    private ClassCounts? _lastCounts;

    /// <summary>Runs of changed pages, in address order.</summary>
    public List<PageChangeRun> Runs { get; } = [];

    /// <summary>A populated page of the first reading.</summary>
    public void Before(in PageRecord page, ClassifiedVma vma)
    {
        var counts = CountsOf(vma);
        if (page.Entry.IsPresent) counts.PresentBefore++;
    }

    /// <summary>A populated page of the second reading.</summary>
    public void After(in PageRecord page, ClassifiedVma vma)
    {
        var counts = CountsOf(vma);
        if (page.Entry.IsPresent) counts.PresentAfter++;
    }

    /// <summary>A page at <paramref name="address"/> changed; changes come in address order.</summary>
    public void Change(PageChange change, ulong address, ClassifiedVma vma, ulong? movedFrom)
    {
        _totals[(int)change]++;
        CountsOf(vma).Changes[(int)change]++;
        if (Runs.Count > 0)
        {
            var last = Runs[^1];
            bool continues = last.Change == change && ReferenceEquals(last.Vma, vma) && last.Start + last.Pages * pageSize == address
                && (movedFrom is null || movedFrom == last.MovedFrom + last.Pages * pageSize);
            if (continues)
            {
                Runs[^1] = last with { Pages = last.Pages + 1 };
                return;
            }
        }
        Runs.Add(new PageChangeRun(change, address, 1, vma, movedFrom));
    }

    /// <summary>Pages per kind of change, whole process.</summary>
    public Dictionary<PageChange, ulong> Totals() => Enum.GetValues<PageChange>().ToDictionary(c => c, c => _totals[(int)c]);

    /// <summary>The classes whose present pages changed in number or that saw a change, by name.</summary>
    public List<ClassDifference> Classes() =>
        _classes.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new ClassDifference(p.Key, p.Value.PresentBefore, p.Value.PresentAfter,
                Enum.GetValues<PageChange>().ToDictionary(c => c, c => p.Value.Changes[(int)c]))
            { Segment = p.Value.Segment })
            .Where(c => c.PresentBefore != c.PresentAfter || c.Changes.Values.Any(v => v > 0))
            .ToList();

    /// <summary>The counts of a VMA's class; pages come VMA by VMA, so the last one is kept at hand.</summary>
    private ClassCounts CountsOf(ClassifiedVma vma)
    {
        if (ReferenceEquals(vma, _lastVma)) return _lastCounts!;
        string key = Sharing.ClassKey(vma);
        if (!_classes.TryGetValue(key, out var counts)) _classes[key] = counts = new ClassCounts { Segment = Sharing.GroupClass(vma) };
        (_lastVma, _lastCounts) = (vma, counts);
        return counts;
    }

    private sealed class ClassCounts
    {
        public SegmentClass Segment;
        public ulong PresentBefore;
        public ulong PresentAfter;
        public readonly ulong[] Changes = new ulong[Enum.GetValues<PageChange>().Length];
    }
}
