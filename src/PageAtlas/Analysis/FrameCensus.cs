using System.Runtime.InteropServices;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>One line of the census: frames of a kind, beside the /proc/meminfo figure that counts the same thing.</summary>
/// <param name="Id">A stable name for the row, for machines ("anonymous", "file-dirty"): <see cref="Name"/> is prose and may be reworded.</param>
/// <param name="Name">What the frames are.</param>
/// <param name="Definition">The flag expression that selects them, in page-types' names.</param>
/// <param name="Frames">How many frames.</param>
/// <param name="MeminfoFields">The /proc/meminfo fields to compare with ("Active(file)+Inactive(file)"), or null.</param>
/// <param name="MeminfoBytes">Their sum, when known.</param>
public sealed record CensusRow(string Id, string Name, string Definition, ulong Frames, string? MeminfoFields, ulong? MeminfoBytes);

/// <summary>The census of every frame in a range of physical memory.</summary>
/// <param name="PageSize">Bytes per frame.</param>
/// <param name="StartPfn">First frame looked at.</param>
/// <param name="EndPfn">One past the last (max_pfn for the whole machine).</param>
/// <param name="WholeMachine">The range is every frame, so /proc/meminfo and /proc/buddyinfo compare.</param>
/// <param name="Filter">Only frames passing it were counted.</param>
/// <param name="MatchedFrames">Frames that passed the filter.</param>
/// <param name="Rows">Frames per kind, with meminfo beside them.</param>
/// <param name="Combinations">Every distinct flag set among the matched frames, most frequent first.</param>
/// <param name="FreeZones">/proc/buddyinfo: free blocks per zone and order, read right after the scan.</param>
/// <param name="Uninitialised">Where memory the kernel has not initialised yet lies (see <see cref="UninitialisedMemory"/>).</param>
/// <param name="Notes">Why figures that count the same thing differ, worked out from the kernel's files.</param>
public sealed record FrameCensusReport(
    int PageSize, ulong StartPfn, ulong EndPfn, bool WholeMachine, FrameFilter Filter, ulong MatchedFrames,
    IReadOnlyList<CensusRow> Rows, IReadOnlyList<FlagCombination> Combinations, IReadOnlyList<ZoneFreeBlocks> FreeZones,
    IReadOnlyList<FrameRange> Uninitialised, IReadOnlyList<string> Notes)
{
    /// <summary>Frames looked at.</summary>
    public ulong ScannedFrames => EndPfn - StartPfn;

    /// <summary>Free pages according to the buddy allocator's lists (every page of every free block).</summary>
    public ulong BuddyinfoFreePages => ProcBuddyinfo.FreePages(FreeZones);
}

/// <summary>
/// The kernel's own counters, read right after the frames are scanned so that both describe the same
/// moment (read before, they missed what PageAtlas itself allocated during the scan).
/// </summary>
/// <param name="Meminfo">/proc/meminfo.</param>
/// <param name="FreeZones">/proc/buddyinfo.</param>
/// <param name="OwnResidentBytes">PageAtlas's own VmRSS at that moment: its pages are in the census and in /proc/meminfo alike.</param>
public sealed record KernelCounters(ProcMeminfo Meminfo, IReadOnlyList<ZoneFreeBlocks> FreeZones, ulong? OwnResidentBytes)
{
    /// <summary>Reads all three from <paramref name="source"/> now.</summary>
    public static KernelCounters Read(IFrameSource source) => new(source.ReadMeminfo(), source.ReadBuddyinfo(), source.ReaderResidentBytes());
}

/// <summary>
/// Counts every page frame by its kernel flags (seed 001's census, page-types' summary, RAMMap's
/// use counts): one pass over /proc/kpageflags, grouping frames by their exact flag set (a few
/// hundred distinct sets among millions of frames), from which every row follows. /proc/kpagecount
/// is read only where the flags do not tell whether a frame is mapped (the pages of mapped large
/// folios, <see cref="MapCountReading.LargeFolios"/>), or for every mapped frame when the map counts
/// are to be added up.
/// </summary>
public static class FrameCensus
{
    /// <summary>The row of flagless frames, from which memory not yet initialised is taken out.</summary>
    private const string NoFlagsRow = "no flags";

    private static readonly (string Id, string Name, string Definition, Func<FrameFlags, bool> Selects, string? Meminfo)[] s_rows =
    [
        // Slab pages reuse the fields behind the anonymous and KSM bits, so kpageflags shows those bits
        // on some slab pages; they are not user memory.
        ("valid", "valid frames", "~nopage", f => !Has(f, FrameFlags.NoPage), null),
        ("free-block-heads", "free block heads", "buddy (the first page of each free block only)", f => Has(f, FrameFlags.Buddy), null),
        ("anonymous", "anonymous", "anonymous,~slab", f => Has(f, FrameFlags.Anonymous) && !Has(f, FrameFlags.Slab), null),
        // hugetlbfs pages are files' pages, mapped and dirty, but on no LRU list and in none of meminfo's
        // file counters (they count under Hugetlb), so the file rows leave them out.
        ("file", "file-backed (page cache)", "~anonymous,~swapbacked,~huge, and lru or mmap", f => !Has(f, FrameFlags.Anonymous) && !Has(f, FrameFlags.SwapBacked) && !Has(f, FrameFlags.Huge) && (Has(f, FrameFlags.Lru) || Has(f, FrameFlags.Mmap)), "Active(file)+Inactive(file)"),
        ("shmem", "shmem/tmpfs", "swapbacked,~anonymous", f => Has(f, FrameFlags.SwapBacked) && !Has(f, FrameFlags.Anonymous), "Shmem"),
        ("slab", "slab", "slab", f => Has(f, FrameFlags.Slab), "Slab"),
        ("page-tables", "page tables", "pgtable", f => Has(f, FrameFlags.PageTable), "PageTables"),
        // Every shmem page is dirty (it has nowhere to be written back but swap); meminfo's Dirty counts file pages only.
        ("dirty", "dirty", "dirty (shmem and anonymous pages included)", f => Has(f, FrameFlags.Dirty), null),
        ("file-dirty", "file dirty", "dirty,~anonymous,~swapbacked,~huge", f => Has(f, FrameFlags.Dirty) && !Has(f, FrameFlags.Anonymous) && !Has(f, FrameFlags.SwapBacked) && !Has(f, FrameFlags.Huge), "Dirty"),
        ("writeback", "writeback", "writeback", f => Has(f, FrameFlags.Writeback), "Writeback"),
        ("lru", "LRU", "lru", f => Has(f, FrameFlags.Lru), null),
        ("lru-active", "LRU active", "lru,active,~unevictable", f => Has(f, FrameFlags.Lru) && Has(f, FrameFlags.Active) && !Has(f, FrameFlags.Unevictable), "Active"),
        ("lru-inactive", "LRU inactive", "lru,~active,~unevictable", f => Has(f, FrameFlags.Lru) && !Has(f, FrameFlags.Active) && !Has(f, FrameFlags.Unevictable), "Inactive"),
        ("unevictable", "unevictable", "unevictable", f => Has(f, FrameFlags.Unevictable), "Unevictable"),
        ("mlocked", "mlocked", "mlocked", f => Has(f, FrameFlags.Mlocked), "Mlocked"),
        ("swap-cache", "swap cache", "swapcache", f => Has(f, FrameFlags.SwapCache), "SwapCached"),
        ("swap-backed", "swap-backed", "swapbacked", f => Has(f, FrameFlags.SwapBacked), null),
        ("compound", "compound (huge, THP, large folios)", "compound_head or compound_tail", f => Has(f, FrameFlags.CompoundHead) || Has(f, FrameFlags.CompoundTail), null),
        ("hugetlbfs", "hugetlbfs", "huge", f => Has(f, FrameFlags.Huge), "Hugetlb"),
        // kpageflags' thp bit marks every large folio, page cache included, of any order; meminfo's
        // *HugePages count PMD-sized ones, by kind.
        ("large-folios", "large folios (thp flag)", "thp (any large folio: anonymous, shmem, page cache; any size)", f => Has(f, FrameFlags.Thp), null),
        ("anonymous-thp", "anonymous THP", "thp,anonymous", f => Has(f, FrameFlags.Thp) && Has(f, FrameFlags.Anonymous), "AnonHugePages"),
        ("shmem-thp", "shmem THP", "thp,swapbacked,~anonymous", f => Has(f, FrameFlags.Thp) && Has(f, FrameFlags.SwapBacked) && !Has(f, FrameFlags.Anonymous), "ShmemHugePages"),
        ("page-cache-large-folios", "page-cache large folios", "thp,~anonymous,~swapbacked", f => Has(f, FrameFlags.Thp) && !Has(f, FrameFlags.Anonymous) && !Has(f, FrameFlags.SwapBacked), null),
        ("ksm", "KSM", "ksm,~slab", f => Has(f, FrameFlags.Ksm) && !Has(f, FrameFlags.Slab), null),
        ("zero-page", "zero page", "zero_page", f => Has(f, FrameFlags.ZeroPage), null),
        ("reserved", "reserved", "reserved", f => Has(f, FrameFlags.Reserved), null),
        ("offline", "offline", "offline", f => Has(f, FrameFlags.Offline), null),
        ("hwpoison", "hwpoison", "hwpoison", f => Has(f, FrameFlags.HwPoison), "HardwareCorrupted"),
        ("idle", "idle", "idle_page", f => Has(f, FrameFlags.Idle), null),
        ("no-flags", NoFlagsRow, "=0 (kernel allocations without flags, and the pages of free blocks after their head), memory not yet initialised apart", f => f == FrameFlags.None, null),
    ];

    /// <summary>
    /// Counts the frames in [<paramref name="startPfn"/>, <paramref name="endPfn"/>) (every frame when
    /// null): a scan of a source that reads frames, or the counts a source keeps (a snapshot keeps the
    /// census of the whole machine, unfiltered, and filters it now).
    /// </summary>
    /// <param name="source">The frames and the machine files.</param>
    /// <param name="filter">Count only frames it accepts.</param>
    /// <param name="startPfn">First frame, or 0.</param>
    /// <param name="endPfn">One past the last frame, or max_pfn.</param>
    /// <param name="sumMapCounts">
    /// Also add up every mapped frame's map count (the map-count-sum row, <see cref="FlagCombination.MapCountSum"/>):
    /// that reads kpagecount for every mapped frame, a tenth more of the kernel's work than the rest of
    /// the census. Without it the sums are null (unless the source kept them, as a snapshot does).
    /// </param>
    /// <exception cref="InvalidRequestException">A range of frames from a source that keeps only the whole machine's census.</exception>
    public static FrameCensusReport Take(IFrameSource source, FrameFilter filter, ulong? startPfn = null, ulong? endPfn = null, bool sumMapCounts = true)
    {
        ulong limit = source.FrameLimit;
        var zones = source.ReadZones();
        ulong start, end;
        IReadOnlyList<FlagCombination> all;
        IReadOnlyList<FrameRange> uninitialised;
        if (source.Tallies is { } kept)
        {
            if (startPfn is not null || endPfn is not null)
                throw new InvalidRequestException("a range of frames is counted from live frames; a snapshot keeps the census of the whole machine");
            (start, end, all, uninitialised) = (kept.CensusStart, kept.CensusEnd, kept.Census, kept.Uninitialised);
        }
        else
        {
            (start, end) = (Math.Min(startPfn ?? 0, limit), Math.Min(endPfn ?? limit, limit));
            // A scan of every frame finds memory not yet initialised as it goes; a part of the machine is looked for apart.
            var finder = start == 0 && end == limit ? new UninitialisedMemory.Finder(zones, limit) : null;
            var located = finder is null ? UninitialisedMemory.Locate(source, zones) : null;
            all = Scan(source, start, end, finder, sumMapCounts ? MapCountReading.Mapped : MapCountReading.LargeFolios);
            uninitialised = located ?? finder!.Runs();
        }
        // Read right after the scan: see KernelCounters.
        var counters = KernelCounters.Read(source);
        return Summarize(all, start, end, limit, filter, counters, zones, uninitialised, source.Machine.PageSize);
    }

    /// <summary>Every distinct flag set among the frames of [<paramref name="start"/>, <paramref name="end"/>), with its frames and map counts.</summary>
    private static FlagCombination[] Scan(IFrameSource source, ulong start, ulong end, UninitialisedMemory.Finder? finder, MapCountReading counts)
    {
        var totals = new Dictionary<ulong, Tally>();
        source.Scan(start, end, counts, () => new Dictionary<ulong, Tally>(),
            (tallies, firstPfn, flags, counts) =>
            {
                Count(tallies, flags, counts);
                finder?.See(firstPfn, flags);
            },
            tallies =>
            {
                foreach (var (key, tally) in tallies)
                {
                    ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(totals, key, out _);
                    total.Add(tally);
                }
            });
        bool summed = counts == MapCountReading.Mapped;
        return totals.Select(p => new FlagCombination((FrameFlags)p.Key, p.Value.Frames, p.Value.Mapped, summed ? p.Value.MapSum : null)).ToArray();
    }

    /// <summary>The census rows from every frame's flag set; <paramref name="filter"/> keeps only the sets it accepts.</summary>
    private static FrameCensusReport Summarize(IReadOnlyList<FlagCombination> all, ulong start, ulong end, ulong limit, FrameFilter filter,
        KernelCounters counters, IReadOnlyList<MemoryZone> zones, IReadOnlyList<FrameRange> uninitialised, int pageSize)
    {
        var (meminfo, freeZones, ownResident) = counters;
        bool whole = start == 0 && end == limit;
        // Uninitialised frames carry no flags: they are taken out of the flagless ones and counted apart.
        // (Capped by the flagless frames counted: the kernel may have initialised part of it between locating and scanning.)
        ulong flagless = all.Where(c => c.Flags == FrameFlags.None).Aggregate(0UL, (sum, c) => sum + c.Frames);
        ulong notInitialised = filter.Matches(0) ? Math.Min(flagless, UninitialisedMemory.FramesWithin(uninitialised, start, end)) : 0;
        var combinations = all.Where(c => filter.Matches((ulong)c.Flags)).OrderByDescending(c => c.Frames).ThenBy(c => (ulong)c.Flags).ToArray();
        ulong matched = combinations.Aggregate(0UL, (sum, c) => sum + c.Frames);
        bool compare = whole && filter.IsAll;
        var rows = new List<CensusRow>
        {
            new("pfn-range", "frames (PFN range)", whole ? "0 to max_pfn, holes included" : $"0x{start:x} to 0x{end:x}", end - start, compare ? "MemTotal" : null, compare ? meminfo["MemTotal"] : null),
        };
        if (!filter.IsAll) rows.Add(new CensusRow("filter-selected", "frames the filter selects", filter.Text, matched, null, null));
        foreach (var (id, name, definition, selects, fields) in s_rows)
        {
            ulong count = combinations.Where(c => selects(c.Flags)).Aggregate(0UL, (sum, c) => sum + c.Frames);
            if (name == NoFlagsRow) count -= notInitialised;
            rows.Add(new CensusRow(id, name, definition, count, compare ? fields : null, compare && fields is not null ? Sum(meminfo, fields) : null));
        }
        // AnonPages counts anonymous pages some process maps; anonymous frames also include ones no
        // page table maps any more (in the swap cache, or on their way to being freed).
        ulong anonymousMapped = combinations.Where(c => Has(c.Flags, FrameFlags.Anonymous) && !Has(c.Flags, FrameFlags.Slab))
            .Aggregate(0UL, (sum, c) => sum + c.MappedFrames);
        rows.Insert(rows.FindIndex(r => r.Id == "anonymous") + 1,
            new CensusRow("anonymous-mapped", "anonymous, mapped", "anonymous,~slab and kpagecount > 0", anonymousMapped, compare ? "AnonPages" : null, compare ? meminfo["AnonPages"] : null));
        ulong mapped = combinations.Aggregate(0UL, (sum, c) => sum + c.MappedFrames);
        rows.Add(new CensusRow("mapped", "mapped by a process", "kpagecount > 0", mapped, compare ? "Mapped+AnonPages" : null, compare ? Sum(meminfo, "Mapped+AnonPages") : null));
        if (all.All(c => c.MapCountSum is not null))
        {
            ulong mapSum = combinations.Aggregate(0UL, (sum, c) => sum + c.MapCountSum!.Value);
            rows.Add(new CensusRow("map-count-sum", "page-table mappings of frames", "sum of kpagecount", mapSum, null, null));
        }
        ulong buddyFree = ProcBuddyinfo.FreePages(freeZones);
        if (compare || notInitialised > 0)
            rows.Add(new CensusRow("uninitialised", "free, not yet initialised", "no flags and unused, at the top of a zone whose present pages exceed its managed ones (/proc/zoneinfo)",
                notInitialised, compare ? "MemFree−buddyinfo" : null, compare ? Difference(meminfo["MemFree"], buddyFree * (ulong)pageSize) : null));
        if (compare)
            rows.Add(new CensusRow("free", "free pages", "every page of every free block, from /proc/buddyinfo (kpageflags marks only block heads), and memory not yet initialised",
                buddyFree + notInitialised, "MemFree", meminfo["MemFree"]));
        if (compare && ownResident is { } own)
            rows.Add(new CensusRow("pageatlas", "PageAtlas itself", "its own resident pages (VmRSS) when the counters were read; in the rows above as in /proc/meminfo", own / (ulong)pageSize, null, null));
        var notes = new List<string>
        {
            "kpageflags marks only the first page of a free block (buddy); free pages are counted from the block sizes in /proc/buddyinfo",
            "/proc/meminfo and /proc/buddyinfo are read right after the scan; the scan itself takes a while, so other processes' live changes still show as small differences",
        };
        if (!all.All(c => c.MapCountSum is not null))
            notes.Add("map counts were read only for the pages of mapped large folios (a small page is mapped exactly when kpageflags marks it mmap): the sum of every frame's map count is read with --map-counts");
        if (compare) notes.AddRange(ExplainFree(meminfo, buddyFree, notInitialised, zones, pageSize));
        return new FrameCensusReport(pageSize, start, end, whole, filter, matched, rows, combinations, freeZones, uninitialised, notes);
    }

    /// <summary>
    /// MemFree is the kernel's free-page counter. Beyond the buddy allocator's free blocks it holds,
    /// where the kernel initialises memory lazily (deferred struct page init), memory not yet handed
    /// to the buddy allocator. (Pages on per-CPU lists are in neither: they are not a cause.)
    /// </summary>
    /// <summary>
    /// How MemFree stands to the buddy allocator's free blocks, in the direction it goes. Below them
    /// happens too: MemFree (NR_FREE_PAGES) leaves out free blocks in isolated pageblocks, which
    /// /proc/buddyinfo lists (mm/page_alloc.c, account_freepages: memory going offline, a contiguous
    /// allocation under way), its per-CPU deltas are folded in batches (mm/vmstat.c), and the two
    /// files are read a moment apart.
    /// </summary>
    internal static string FreeDifference(long beyondBuddy) => beyondBuddy switch
    {
        > 0 => $"MemFree exceeds the buddy allocator's free pages by {beyondBuddy / 1024} kB",
        0 => "MemFree equals the buddy allocator's free pages",
        _ => $"MemFree is {-beyondBuddy / 1024} kB below the buddy allocator's free pages " +
            "(it leaves out free blocks of isolated pageblocks, which /proc/buddyinfo lists, and is read a moment apart from it)",
    };

    private static IEnumerable<string> ExplainFree(ProcMeminfo meminfo, ulong buddyFree, ulong notInitialised, IReadOnlyList<MemoryZone> zones, int pageSize)
    {
        if (meminfo["MemFree"] is not { } memFree) yield break;
        long beyondBuddy = (long)memFree - (long)(buddyFree * (ulong)pageSize);
        yield return FreeDifference(beyondBuddy);
        if (notInitialised == 0)
        {
            if (Math.Abs(beyondBuddy) > 4L << 20)
                yield return "no zone has memory left to initialise (/proc/zoneinfo: present = managed), so the difference is not explained from user space";
            yield break;
        }
        ulong notManaged = zones.Aggregate(0UL, (sum, z) => sum + (z.Present - Math.Min(z.Present, z.Managed)));
        long located = (long)(notInitialised * (ulong)pageSize);
        yield return $"{located / 1024} kB lie at the tops of zones not yet initialised (zoneinfo: present − managed = {notManaged * (ulong)pageSize / 1024} kB, " +
            "reserved pages included): their frames carry no flags and no map count, MemFree counts them free, /proc/buddyinfo does not";
        long unexplained = beyondBuddy - located;
        if (Math.Abs(unexplained) > 4L << 20)
            yield return $"MemFree counts {Math.Abs(unexplained) / 1024} kB {(unexplained < 0 ? "less" : "more")} than that: " +
                "the kernel's count of memory it has yet to initialise is not published, so this part is not explained from user space";
    }

    private static ulong? Difference(ulong? a, ulong b) => a is { } x && x >= b ? x - b : null;

    private static void Count(Dictionary<ulong, Tally> tallies, ReadOnlySpan<ulong> flags, ReadOnlySpan<ulong> counts)
    {
        // Neighbouring frames very often share their flags (free memory, a THP's tails), so the
        // current set is counted locally and written to the dictionary only when it changes. A frame
        // of an order-0 folio is mapped exactly when it is marked mmap (see MapCountReading.LargeFolios),
        // whether or not its count was read; a large folio's page is mapped when its own count says so.
        ulong current = flags.Length > 0 ? flags[0] : 0;
        var run = new Tally();
        for (int i = 0; i < flags.Length; i++)
        {
            ulong f = flags[i];
            if (f != current)
            {
                Flush(tallies, current, ref run);
                current = f;
            }
            ulong mapCount = counts[i];
            run.Frames++;
            run.Mapped += mapCount != 0 || (f & SmallMapped) == (ulong)FrameFlags.Mmap ? 1UL : 0;
            run.MapSum += mapCount;
        }
        Flush(tallies, current, ref run);
    }

    private static void Flush(Dictionary<ulong, Tally> tallies, ulong flags, ref Tally run)
    {
        if (run.Frames == 0) return;
        CollectionsMarshal.GetValueRefOrAddDefault(tallies, flags, out _).Add(run);
        run = default;
    }

    private static ulong? Sum(ProcMeminfo meminfo, string fields)
    {
        ulong sum = 0;
        foreach (var field in fields.Split('+'))
        {
            if (meminfo[field] is not { } value) return null;
            sum += value;
        }
        return sum;
    }

    private static bool Has(FrameFlags flags, FrameFlags flag) => (flags & flag) != 0;

    /// <summary>The bits that, masked, equal mmap alone for a mapped frame of an order-0 folio.</summary>
    private const ulong SmallMapped = (ulong)(FrameFlags.Mmap | FrameFlags.CompoundHead | FrameFlags.CompoundTail);

    private struct Tally
    {
        public ulong Frames, Mapped, MapSum;

        public void Add(in Tally other)
        {
            Frames += other.Frames;
            Mapped += other.Mapped;
            MapSum += other.MapSum;
        }
    }
}
