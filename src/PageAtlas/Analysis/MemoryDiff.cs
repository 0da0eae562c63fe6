using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>How a VMA changed between two readings.</summary>
/// <param name="Change">Added, removed, grown, shrunk, or changed (permissions, file, or split/merged with a neighbour); never none.</param>
/// <param name="Before">The VMA in the first reading, if it had one there.</param>
/// <param name="After">The VMA in the second, if any.</param>
public sealed record VmaDifference(VmaChangeKind Change, ClassifiedVma? Before, ClassifiedVma? After);

/// <summary>
/// What happened to a page between two readings. "In RAM" is mapped by the process, or resident in the
/// shared-memory object behind its VMA; "in swap" is a swap entry in the page table, or one the
/// shared-memory object keeps (<see cref="PageState.SharedSwapped"/>).
/// </summary>
public enum PageChange
{
    /// <summary>Not present before (never touched, dropped, or only in the shared-memory object), present now.</summary>
    BecamePresent,
    /// <summary>In RAM before; the VMA is still there but the page is neither mapped nor held in the shared-memory object now (discarded, reclaimed).</summary>
    Dropped,
    /// <summary>Present before; now no longer mapped here, but still resident in the shared-memory object (MADV_DONTNEED, reclaim of the mapping without swap): no memory was freed.</summary>
    LeftPageTable,
    /// <summary>In RAM before; its address is no longer mapped.</summary>
    Unmapped,
    /// <summary>In RAM before, in swap now.</summary>
    SwappedOut,
    /// <summary>In swap before, in RAM now.</summary>
    SwappedIn,
    /// <summary>Present in both on different frames: the process got a new copy (a copy-on-write break, a migrated page).</summary>
    Copied,
    /// <summary>Present now on a frame that was at another address before (mremap).</summary>
    Moved,
}

/// <summary>Consecutive pages that changed the same way in one VMA.</summary>
/// <param name="Change">What happened.</param>
/// <param name="Start">First page.</param>
/// <param name="Pages">How many.</param>
/// <param name="Vma">The VMA (the second reading's, or the first's for pages that went).</param>
/// <param name="MovedFrom">For <see cref="PageChange.Moved"/>: where the first page's frame was before.</param>
public sealed record PageChangeRun(PageChange Change, ulong Start, ulong Pages, ClassifiedVma Vma, ulong? MovedFrom);

/// <summary>Page counts per segment class, before and after, and what changed.</summary>
/// <param name="Class">The class (without pids, as <see cref="Sharing.ClassKey"/> names it).</param>
/// <param name="PresentBefore">Present pages in the first reading.</param>
/// <param name="PresentAfter">In the second.</param>
/// <param name="Changes">Pages per kind of change.</param>
public sealed record ClassDifference(string Class, ulong PresentBefore, ulong PresentAfter, IReadOnlyDictionary<PageChange, ulong> Changes)
{
    /// <summary>The class itself (<see cref="Sharing.GroupClass"/>), of the first VMA counted under <see cref="Class"/>.</summary>
    public SegmentClass Segment { get; init; }
}

/// <summary>What changed in a process between two readings (snapshots, or a snapshot and the live process).</summary>
/// <param name="Before">The first reading's pid and command.</param>
/// <param name="After">The second's.</param>
/// <param name="Vmas">VMAs added, removed, resized or changed.</param>
/// <param name="Pages">Runs of changed pages, in address order.</param>
/// <param name="Classes">Per segment class.</param>
/// <param name="Totals">Pages per kind of change, whole process.</param>
/// <param name="Notes">What could not be compared, and why.</param>
public sealed record MemoryDiffReport(
    (int Pid, string Command) Before, (int Pid, string Command) After, IReadOnlyList<VmaDifference> Vmas, IReadOnlyList<PageChangeRun> Pages,
    IReadOnlyList<ClassDifference> Classes, IReadOnlyDictionary<PageChange, ulong> Totals, IReadOnlyList<string> Notes);

/// <summary>
/// Compares two readings of a process page by page: VMAs by their start address, pages by address
/// (with what shared-memory objects hold where the page table maps nothing), frames by number (a
/// frame that turns up at another address has moved). The pages are walked side
/// by side, never held: memory grows with what changed and, when frames are visible, with the
/// first reading's frame index (16 bytes a present page), which telling a move needs.
/// </summary>
public static class MemoryDiff
{
    /// <summary>Compares <paramref name="before"/> with <paramref name="after"/> (two readers: the same object twice has no differences).</summary>
    public static MemoryDiffReport Compare(IMemoryTarget before, IMemoryTarget after)
    {
        var notes = new List<string>();
        bool frames = before.Visibility.PfnsVisible && after.Visibility.PfnsVisible;
        if (!frames) notes.Add("frame numbers were hidden in one of the readings: copied and moved pages cannot be told apart from unchanged ones");
        if (before.Pid != after.Pid) notes.Add($"comparing pid {before.Pid} with pid {after.Pid}: different processes, compared address by address");

        var previous = frames ? FrameIndex.Of(before) : FrameIndex.Empty;
        // A frame counts as moved (mremap) when it left an address that is no longer mapped for one that
        // was not mapped before. A freed frame that the kernel hands out again elsewhere is not a move:
        // its old address went, and its new one was already mapped (or it lands in an older VMA).
        bool MovedTo(ulong address, ulong pfn, out ulong from) =>
            previous.TryFind(pfn, out from) && from != address && !VmaLookup.Contains(after.Vmas, from) && !VmaLookup.Contains(before.Vmas, address);
        var movedFrames = frames ? MovedFrames(before, after, MovedTo) : [];

        var tally = new DiffTally((ulong)after.Machine.PageSize);
        if (!ReferenceEquals(before, after))
        {
            using var a = new PageCursor(before);
            using var b = new PageCursor(after);
            bool hasA = a.MoveNext(), hasB = b.MoveNext();
            while (hasA || hasB)
            {
                ulong addressA = hasA ? a.Page.Address : ulong.MaxValue, addressB = hasB ? b.Page.Address : ulong.MaxValue;
                if (addressA < addressB)
                {
                    var gone = a.Page;
                    tally.Before(gone, a.Vma);
                    hasA = a.MoveNext();
                    if (!InRam(gone)) continue;
                    // A frame that moved is reported where it arrived.
                    if (gone.Entry.IsPresent && movedFrames.Contains(gone.Entry.Pfn)) continue;
                    bool stillMapped = VmaLookup.Contains(after.Vmas, gone.Address);
                    tally.Change(stillMapped ? PageChange.Dropped : PageChange.Unmapped, gone.Address, a.Vma, null);
                }
                else if (addressB < addressA)
                {
                    var arrived = b.Page;
                    var vma = b.Vma;
                    tally.After(arrived, vma);
                    hasB = b.MoveNext();
                    if (arrived.Entry.IsPresent && frames && MovedTo(arrived.Address, arrived.Entry.Pfn, out ulong from))
                        tally.Change(PageChange.Moved, arrived.Address, vma, from);
                    else if (arrived.Entry.IsPresent) tally.Change(PageChange.BecamePresent, arrived.Address, vma, null);
                }
                else
                {
                    var was = a.Page;
                    var (now, vma) = (b.Page, b.Vma);
                    tally.Before(was, a.Vma);
                    tally.After(now, vma);
                    hasA = a.MoveNext();
                    hasB = b.MoveNext();
                    if (InRam(was) && InSwap(now)) tally.Change(PageChange.SwappedOut, now.Address, vma, null);
                    else if (InSwap(was) && InRam(now)) tally.Change(PageChange.SwappedIn, now.Address, vma, null);
                    else if (was.Entry.IsPresent && now.State == PageState.SharedResident) tally.Change(PageChange.LeftPageTable, now.Address, vma, null);
                    else if (was.State == PageState.SharedResident && now.Entry.IsPresent) tally.Change(PageChange.BecamePresent, now.Address, vma, null);
                    else if (was.Entry.IsPresent && now.Entry.IsPresent && frames && was.Entry.Pfn != now.Entry.Pfn)
                    {
                        tally.Change(PageChange.Copied, now.Address, vma, null);
                    }
                }
            }
        }
        return new MemoryDiffReport((before.Pid, before.Facts.Name), (after.Pid, after.Facts.Name), CompareVmas(before, after),
            tally.Runs, tally.Classes(), tally.Totals(), notes);
    }

    /// <summary>
    /// The frames present in <paramref name="after"/> that moved there. A move lands only where
    /// <paramref name="before"/> had no VMA, so only the VMAs of <paramref name="after"/> that no
    /// VMA of <paramref name="before"/> holds whole are read (usually none).
    /// </summary>
    private static HashSet<ulong> MovedFrames(IMemoryTarget before, IMemoryTarget after, MovedTest movedTo)
    {
        var moved = new HashSet<ulong>();
        foreach (var vma in after.Vmas)
        {
            int holder = VmaLookup.FirstEndingAfter(before.Vmas, vma.Vma.Start);
            if (holder < before.Vmas.Count && before.Vmas[holder].Vma.Start <= vma.Vma.Start && before.Vmas[holder].Vma.End >= vma.Vma.End) continue;
            foreach (var batch in after.ReadPages(vma.Vma.Start, vma.Vma.End, new PageReadOptions(PopulatedOnly: true, WithFrames: false)))
            {
                foreach (var page in batch.Pages.Span)
                    if (page.Entry.IsPresent && movedTo(page.Address, page.Entry.Pfn, out _)) moved.Add(page.Entry.Pfn);
            }
        }
        return moved;
    }

    private delegate bool MovedTest(ulong address, ulong pfn, out ulong from);

    /// <summary>Mapped, or resident in the shared-memory object.</summary>
    private static bool InRam(PageRecord page) => page.State is PageState.Present or PageState.SharedResident;

    /// <summary>A swap entry in the page table, or one the shared-memory object keeps.</summary>
    private static bool InSwap(PageRecord page) => page.State is PageState.Swapped or PageState.SharedSwapped;

    private static List<VmaDifference> CompareVmas(IMemoryTarget before, IMemoryTarget after)
    {
        var differences = new List<VmaDifference>();
        // Matched by start or, failing that, by end: the stack grows down (VmaExtent).
        var afterByStart = after.Vmas.ToDictionary(v => v.Vma.Start);
        var afterByEnd = after.Vmas.ToDictionary(v => v.Vma.End);
        var matched = new HashSet<ulong>();
        var named = new HashSet<ClassifiedVma>(ReferenceEqualityComparer.Instance);
        foreach (var old in before.Vmas)
        {
            if ((afterByStart.TryGetValue(old.Vma.Start, out var now) || afterByEnd.TryGetValue(old.Vma.End, out now)) && !matched.Contains(now.Vma.Start))
            {
                matched.Add(now.Vma.Start);
                var change = VmaExtent.Compare(old.Vma, now.Vma) is var extent && extent != VmaChangeKind.None ? extent
                    : now.Vma.Permissions != old.Vma.Permissions || now.Vma.Path != old.Vma.Path ? VmaChangeKind.Changed : VmaChangeKind.None;
                if (change != VmaChangeKind.None) differences.Add(new VmaDifference(change, old, now));
                if (change != VmaChangeKind.None) named.Add(now);
                continue;
            }
            var (first, end) = VmaLookup.Overlapping(after.Vmas, old.Vma.Start, old.Vma.End);
            var overlapping = first < end ? after.Vmas[first] : null;
            differences.Add(overlapping is null ? new VmaDifference(VmaChangeKind.Removed, old, null) : new VmaDifference(VmaChangeKind.Changed, old, overlapping));
            if (overlapping is not null) named.Add(overlapping);
        }
        foreach (var now in after.Vmas)
        {
            if (matched.Contains(now.Vma.Start) || named.Contains(now)) continue;
            var (first, end) = VmaLookup.Overlapping(before.Vmas, now.Vma.Start, now.Vma.End);
            differences.Add(new VmaDifference(first < end ? VmaChangeKind.Changed : VmaChangeKind.Added, null, now));
        }
        return differences.OrderBy(d => (d.After ?? d.Before)!.Vma.Start).ToList();
    }
}
