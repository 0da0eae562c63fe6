using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>How a VMA changed between two readings.</summary>
/// <param name="Change">"added", "removed", "grown", "shrunk", or "changed" (permissions, file, or split/merged with a neighbour).</param>
/// <param name="Before">The VMA in the first reading, if it had one there.</param>
/// <param name="After">The VMA in the second, if any.</param>
public sealed record VmaDifference(string Change, ClassifiedVma? Before, ClassifiedVma? After);

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
public sealed record ClassDifference(string Class, ulong PresentBefore, ulong PresentAfter, IReadOnlyDictionary<PageChange, ulong> Changes);

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
/// frame that turns up at another address has moved).
/// </summary>
public static class MemoryDiff
{
    /// <summary>Compares <paramref name="before"/> with <paramref name="after"/>.</summary>
    public static MemoryDiffReport Compare(IMemoryTarget before, IMemoryTarget after)
    {
        var notes = new List<string>();
        bool frames = before.Visibility.PfnsVisible && after.Visibility.PfnsVisible;
        if (!frames) notes.Add("frame numbers were hidden in one of the readings: copied and moved pages cannot be told apart from unchanged ones");
        if (before.Pid != after.Pid) notes.Add($"comparing pid {before.Pid} with pid {after.Pid}: different processes, compared address by address");

        var a = Populated(before);
        var b = Populated(after);
        var previousAddress = frames ? a.Where(p => p.Page.Entry.IsPresent).GroupBy(p => p.Page.Entry.Pfn).ToDictionary(g => g.Key, g => g.First().Page.Address) : [];
        // A frame counts as moved (mremap) when it left an address that is no longer mapped for one that
        // was not mapped before. A freed frame that the kernel hands out again elsewhere is not a move:
        // its old address went, and its new one was already mapped (or it lands in an older VMA).
        bool MovedTo(ulong address, ulong pfn, out ulong from) =>
            previousAddress.TryGetValue(pfn, out from) && from != address && !Contains(after.Vmas, from) && !Contains(before.Vmas, address);
        var movedFrames = frames ? b.Where(p => p.Page.Entry.IsPresent && MovedTo(p.Page.Address, p.Page.Entry.Pfn, out _)).Select(p => p.Page.Entry.Pfn).ToHashSet() : [];

        var changes = new List<(PageChange Change, ulong Address, ClassifiedVma Vma, ulong? From)>();
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
        {
            ulong addressA = i < a.Count ? a[i].Page.Address : ulong.MaxValue, addressB = j < b.Count ? b[j].Page.Address : ulong.MaxValue;
            if (addressA < addressB)
            {
                var gone = a[i++];
                if (!InRam(gone.Page)) continue;
                // A frame that moved is reported where it arrived.
                if (gone.Page.Entry.IsPresent && movedFrames.Contains(gone.Page.Entry.Pfn)) continue;
                bool stillMapped = Contains(after.Vmas, gone.Page.Address);
                changes.Add((stillMapped ? PageChange.Dropped : PageChange.Unmapped, gone.Page.Address, gone.Vma, null));
            }
            else if (addressB < addressA)
            {
                var arrived = b[j++];
                if (arrived.Page.Entry.IsPresent && frames && MovedTo(arrived.Page.Address, arrived.Page.Entry.Pfn, out ulong from))
                    changes.Add((PageChange.Moved, arrived.Page.Address, arrived.Vma, from));
                else if (arrived.Page.Entry.IsPresent) changes.Add((PageChange.BecamePresent, arrived.Page.Address, arrived.Vma, null));
            }
            else
            {
                var was = a[i++].Page;
                var (now, vma) = b[j++];
                if (InRam(was) && InSwap(now)) changes.Add((PageChange.SwappedOut, now.Address, vma, null));
                else if (InSwap(was) && InRam(now)) changes.Add((PageChange.SwappedIn, now.Address, vma, null));
                else if (was.Entry.IsPresent && now.State == PageState.SharedResident) changes.Add((PageChange.LeftPageTable, now.Address, vma, null));
                else if (was.State == PageState.SharedResident && now.Entry.IsPresent) changes.Add((PageChange.BecamePresent, now.Address, vma, null));
                else if (was.Entry.IsPresent && now.Entry.IsPresent && frames && was.Entry.Pfn != now.Entry.Pfn)
                {
                    changes.Add((PageChange.Copied, now.Address, vma, null));
                }
            }
        }

        var totals = Enum.GetValues<PageChange>().ToDictionary(c => c, c => (ulong)changes.Count(x => x.Change == c));
        return new MemoryDiffReport((before.Pid, before.Stat.Command), (after.Pid, after.Stat.Command), CompareVmas(before, after),
            Runs(changes, (ulong)after.Machine.PageSize), Classes(a, b, changes), totals, notes);
    }

    /// <summary>Mapped, or resident in the shared-memory object.</summary>
    private static bool InRam(PageRecord page) => page.State is PageState.Present or PageState.SharedResident;

    /// <summary>A swap entry in the page table, or one the shared-memory object keeps.</summary>
    private static bool InSwap(PageRecord page) => page.State is PageState.Swapped or PageState.SharedSwapped;

    /// <summary>Whether a VMA of <paramref name="vmas"/> (in address order) holds <paramref name="address"/>: a binary search.</summary>
    private static bool Contains(IReadOnlyList<ClassifiedVma> vmas, ulong address)
    {
        int low = 0, high = vmas.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            var vma = vmas[middle].Vma;
            if (address < vma.Start) high = middle - 1;
            else if (address >= vma.End) low = middle + 1;
            else return true;
        }
        return false;
    }

    private static List<(PageRecord Page, ClassifiedVma Vma)> Populated(IMemoryTarget target)
    {
        var pages = new List<(PageRecord, ClassifiedVma)>();
        foreach (var batch in SharedMemoryPages.Read(target, 0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: false)))
            foreach (var page in batch.Pages.Span) pages.Add((page, batch.Vma));
        return pages;
    }

    private static List<VmaDifference> CompareVmas(IMemoryTarget before, IMemoryTarget after)
    {
        var differences = new List<VmaDifference>();
        var afterByStart = after.Vmas.ToDictionary(v => v.Vma.Start);
        var matched = new HashSet<ulong>();
        foreach (var old in before.Vmas)
        {
            if (afterByStart.TryGetValue(old.Vma.Start, out var now))
            {
                matched.Add(now.Vma.Start);
                string? change = now.Vma.End > old.Vma.End ? "grown" : now.Vma.End < old.Vma.End ? "shrunk"
                    : now.Vma.Permissions != old.Vma.Permissions || now.Vma.Path != old.Vma.Path ? "changed" : null;
                if (change is not null) differences.Add(new VmaDifference(change, old, now));
                continue;
            }
            var overlapping = after.Vmas.FirstOrDefault(v => v.Vma.Start < old.Vma.End && v.Vma.End > old.Vma.Start);
            differences.Add(overlapping is null ? new VmaDifference("removed", old, null) : new VmaDifference("changed", old, overlapping));
        }
        foreach (var now in after.Vmas)
        {
            if (matched.Contains(now.Vma.Start) || differences.Any(d => ReferenceEquals(d.After, now))) continue;
            bool overlapped = before.Vmas.Any(v => v.Vma.Start < now.Vma.End && v.Vma.End > now.Vma.Start);
            differences.Add(new VmaDifference(overlapped ? "changed" : "added", null, now));
        }
        return differences.OrderBy(d => (d.After ?? d.Before)!.Vma.Start).ToList();
    }

    private static List<PageChangeRun> Runs(List<(PageChange Change, ulong Address, ClassifiedVma Vma, ulong? From)> changes, ulong pageSize)
    {
        var runs = new List<PageChangeRun>();
        foreach (var change in changes.OrderBy(c => c.Address))
        {
            if (runs.Count > 0)
            {
                var last = runs[^1];
                bool continues = last.Change == change.Change && ReferenceEquals(last.Vma, change.Vma) && last.Start + last.Pages * pageSize == change.Address
                    && (change.From is null || change.From == last.MovedFrom + last.Pages * pageSize);
                if (continues)
                {
                    runs[^1] = last with { Pages = last.Pages + 1 };
                    continue;
                }
            }
            runs.Add(new PageChangeRun(change.Change, change.Address, 1, change.Vma, change.From));
        }
        return runs;
    }

    private static List<ClassDifference> Classes(List<(PageRecord Page, ClassifiedVma Vma)> a, List<(PageRecord Page, ClassifiedVma Vma)> b,
        List<(PageChange Change, ulong Address, ClassifiedVma Vma, ulong? From)> changes)
    {
        var keys = a.Select(p => Sharing.ClassKey(p.Vma)).Concat(b.Select(p => Sharing.ClassKey(p.Vma))).Concat(changes.Select(c => Sharing.ClassKey(c.Vma)))
            .Distinct().Order(StringComparer.Ordinal);
        return keys.Select(key => new ClassDifference(key,
                (ulong)a.Count(p => p.Page.Entry.IsPresent && Sharing.ClassKey(p.Vma) == key),
                (ulong)b.Count(p => p.Page.Entry.IsPresent && Sharing.ClassKey(p.Vma) == key),
                Enum.GetValues<PageChange>().ToDictionary(c => c, c => (ulong)changes.Count(x => x.Change == c && Sharing.ClassKey(x.Vma) == key))))
            .Where(c => c.PresentBefore != c.PresentAfter || c.Changes.Values.Any(v => v > 0))
            .ToList();
    }
}
