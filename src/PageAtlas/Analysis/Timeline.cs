using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>How one VMA changed since the previous sample.</summary>
/// <param name="Vma">The VMA now (or, when removed, as it was).</param>
/// <param name="Change">Added, removed, grown, shrunk, or none when its extent is unchanged.</param>
/// <param name="Present">Present pages now.</param>
/// <param name="BecamePresent">Pages present now that were not at the previous sample.</param>
/// <param name="Left">Pages present at the previous sample that are not now (unmapped, discarded, reclaimed, swapped).</param>
public sealed record VmaChange(ClassifiedVma Vma, VmaChangeKind Change, ulong Present, ulong BecamePresent, ulong Left);

/// <summary>One sample of a process's memory.</summary>
/// <param name="Sequence">0 for the first sample.</param>
/// <param name="Time">When it was taken.</param>
/// <param name="VirtualBytes">Total size of the VMAs.</param>
/// <param name="Present">Present pages.</param>
/// <param name="Break">The program break: the end of the [heap] VMA, or the heap's start when it has none yet.</param>
/// <param name="BecamePresent">Pages that became present since the previous sample.</param>
/// <param name="Left">Pages that stopped being present.</param>
/// <param name="Changes">VMAs that changed (extent or pages); all of them on the first sample, or on every sample when the timeline was asked for every VMA.</param>
public sealed record TimelineSample(int Sequence, DateTimeOffset Time, ulong VirtualBytes, ulong Present, ulong Break,
    ulong BecamePresent, ulong Left, IReadOnlyList<VmaChange> Changes)
{
    /// <summary>Whether <see cref="Changes"/> lists every watched VMA (the whole address map), not only those that changed.</summary>
    public bool EveryVma { get; init; }
}

/// <summary>
/// Samples a process again and again and says what changed: VMAs that appeared, went or changed
/// size, pages that became present or left, per VMA. Each sample keeps the sorted addresses of the
/// present pages (8 bytes a page) to compare with the next.
/// </summary>
public sealed class Timeline
{
    private readonly Func<IMemoryTarget> _open;
    private readonly AddressRange? _only;
    private readonly bool _everyVma;
    private ulong[] _previousPages = [];
    private IReadOnlyList<ClassifiedVma> _previousVmas = [];
    private int _sequence;

    /// <summary>A timeline that opens the target afresh for each sample (its VMAs change).</summary>
    /// <param name="open">Opens the process; throws <see cref="TargetUnavailableException"/> once it is gone.</param>
    /// <param name="only">Watch only VMAs that overlap this range.</param>
    /// <param name="everyVma">List every VMA in each sample's changes, unchanged ones too (a screen redrawn whole).</param>
    public Timeline(Func<IMemoryTarget> open, AddressRange? only = null, bool everyVma = false)
    {
        _open = open;
        _only = only;
        _everyVma = everyVma;
    }

    /// <summary>Takes the next sample.</summary>
    /// <exception cref="TargetUnavailableException">The process has exited.</exception>
    public TimelineSample Next()
    {
        using var target = _open();
        var vmas = target.Vmas.Where(Watched).ToArray();
        var pages = new List<ulong>();
        foreach (var vma in vmas)
        {
            foreach (var batch in target.ReadPages(vma.Vma.Start, vma.Vma.End, new PageReadOptions(PopulatedOnly: true, WithFrames: false)))
            {
                foreach (ref readonly var page in batch.Pages.Span)
                    if (page.Entry.IsPresent) pages.Add(page.Address);
            }
        }
        var current = pages.ToArray();
        Array.Sort(current);
        bool first = _sequence == 0;
        var changes = Changes(vmas, current, first);
        var heap = vmas.FirstOrDefault(v => v.Class.Kind == SegmentKind.Heap);
        ulong programBreak = heap?.Vma.End ?? target.Facts.StartBrk;
        var sample = new TimelineSample(_sequence++, DateTimeOffset.Now, vmas.Aggregate(0UL, (s, v) => s + v.Vma.Size), (ulong)current.Length,
            programBreak, first ? 0 : changes.Aggregate(0UL, (s, c) => s + c.BecamePresent), first ? 0 : changes.Aggregate(0UL, (s, c) => s + c.Left), changes)
        {
            EveryVma = first || _everyVma,
        };
        _previousPages = current;
        _previousVmas = vmas;
        return sample;
    }

    /// <summary>
    /// <paramref name="last"/>, the sample just taken, with every watched VMA in its changes (those that
    /// did not change with their present pages and nothing arrived or left): the whole map, for a reader
    /// that did not see the samples before (it joined later, or dropped some). Removed VMAs are left out.
    /// </summary>
    public TimelineSample WithEveryVma(TimelineSample last)
    {
        if (last.EveryVma) return last;
        var changed = last.Changes.Where(c => c.Change != VmaChangeKind.Removed).ToDictionary(c => c.Vma.Vma.Start);
        var every = _previousVmas.Select(v => changed.TryGetValue(v.Vma.Start, out var c) ? c
            : new VmaChange(v, VmaChangeKind.None, Count(_previousPages, v.Vma.Start, v.Vma.End), 0, 0)).ToList();
        return last with { Changes = every, EveryVma = true };
    }

    private bool Watched(ClassifiedVma vma) => _only is not { } range || (vma.Vma.Start < range.End && vma.Vma.End > range.Start);

    private List<VmaChange> Changes(ClassifiedVma[] vmas, ulong[] current, bool first)
    {
        var changes = new List<VmaChange>();
        // A VMA is matched with the previous one that shares its start or, failing that, its end: the
        // stack VMA grows down (mm/mmap.c, expand_downwards lowers vm_start and keeps vm_end), so a
        // stack that grew has a new start and would otherwise be "new" beside a vanished old one.
        var previousByStart = _previousVmas.ToDictionary(v => v.Vma.Start);
        var previousByEnd = _previousVmas.ToDictionary(v => v.Vma.End);
        foreach (var vma in vmas)
        {
            ulong present = Count(current, vma.Vma.Start, vma.Vma.End);
            if (first)
            {
                changes.Add(new VmaChange(vma, VmaChangeKind.None, present, 0, 0));
                continue;
            }
            // Compare with the previous sample over the union of both extents, so a VMA that grew or
            // shrank counts what it gained and lost.
            var change = VmaChangeKind.Added;
            ulong start = vma.Vma.Start, end = vma.Vma.End;
            if (previousByStart.TryGetValue(vma.Vma.Start, out var before) || previousByEnd.TryGetValue(vma.Vma.End, out before))
            {
                previousByStart.Remove(before.Vma.Start);
                previousByEnd.Remove(before.Vma.End);
                change = VmaExtent.Compare(before.Vma, vma.Vma);
                start = Math.Min(start, before.Vma.Start);
                end = Math.Max(end, before.Vma.End);
            }
            var (gained, lost) = Difference(_previousPages, current, start, end);
            if (_everyVma || change != VmaChangeKind.None || gained > 0 || lost > 0) changes.Add(new VmaChange(vma, change, present, gained, lost));
        }
        foreach (var removed in previousByStart.Values)
        {
            if (vmas.Any(v => v.Vma.Start < removed.Vma.End && v.Vma.End > removed.Vma.Start)) continue;   // its range now belongs to a neighbour, which counted it
            var (_, lost) = Difference(_previousPages, current, removed.Vma.Start, removed.Vma.End);
            changes.Add(new VmaChange(removed, VmaChangeKind.Removed, 0, 0, lost));
        }
        return changes;
    }

    private static ulong Count(ulong[] sorted, ulong start, ulong end) => (ulong)(LowerBound(sorted, end) - LowerBound(sorted, start));

    /// <summary>Pages in [start, end) present now and not before, and before and not now: a merge of two sorted arrays.</summary>
    private static (ulong Gained, ulong Lost) Difference(ulong[] before, ulong[] now, ulong start, ulong end)
    {
        int i = LowerBound(before, start), iEnd = LowerBound(before, end);
        int j = LowerBound(now, start), jEnd = LowerBound(now, end);
        ulong gained = 0, lost = 0;
        while (i < iEnd || j < jEnd)
        {
            if (j >= jEnd || (i < iEnd && before[i] < now[j])) { lost++; i++; }
            else if (i >= iEnd || now[j] < before[i]) { gained++; j++; }
            else { i++; j++; }
        }
        return (gained, lost);
    }

    private static int LowerBound(ulong[] sorted, ulong value)
    {
        int index = Array.BinarySearch(sorted, value);
        return index >= 0 ? index : ~index;
    }
}
