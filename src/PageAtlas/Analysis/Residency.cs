using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// Where the pages of an area stand, counted as the kernel's smaps counts them: a page mapping the
/// shared zero page is not resident memory (smaps leaves it out of Rss, and it costs nothing), and
/// a guard region or another kernel marker in a PTE is neither memory nor swap.
/// </summary>
/// <param name="Pages">Virtual size in pages.</param>
/// <param name="Present">Pages with a frame of their own kind (resident), the zero page excluded.</param>
/// <param name="ZeroPage">Pages mapping the shared zero page (4 KiB or the huge zero page): present in the page table, but no memory.</param>
/// <param name="Swapped">Pages whose PTE holds a swap entry.</param>
/// <param name="SharedSwapped">Pages the shared-memory object behind the VMA keeps in swap, with no entry in the page table (see <see cref="SharedMemorySwap"/>).</param>
/// <param name="Guard">Guard-region pages (MADV_GUARD_INSTALL).</param>
/// <param name="Markers">Other non-present kernel entries: pages under migration, poisoned pages, userfaultfd markers.</param>
/// <param name="HugeLeafPages">Resident pages mapped by a huge (2 MiB or 1 GiB) leaf.</param>
public readonly record struct ResidencyCounts(ulong Pages, ulong Present, ulong ZeroPage, ulong Swapped, ulong SharedSwapped, ulong Guard, ulong Markers,
    ulong HugeLeafPages)
{
    /// <summary>Pages with no page-table entry, and not in swap: never touched, or reclaimed since.</summary>
    public ulong NotPopulated => Pages - Present - ZeroPage - Swapped - SharedSwapped - Guard - Markers;

    /// <summary>The sum of two areas' counts.</summary>
    public static ResidencyCounts operator +(ResidencyCounts a, ResidencyCounts b) => new(
        a.Pages + b.Pages, a.Present + b.Present, a.ZeroPage + b.ZeroPage, a.Swapped + b.Swapped, a.SharedSwapped + b.SharedSwapped,
        a.Guard + b.Guard, a.Markers + b.Markers, a.HugeLeafPages + b.HugeLeafPages);
}

/// <summary>How the pages of one VMA stand.</summary>
/// <param name="Vma">The area.</param>
/// <param name="Counts">Its pages by state.</param>
/// <remarks>A value, not an object: a report of 20,000 VMAs holds 20,000 of them.</remarks>
public readonly record struct VmaResidency(ClassifiedVma Vma, ResidencyCounts Counts);

/// <summary>The residency of every VMA of a process, with totals.</summary>
/// <param name="Pid">The process.</param>
/// <param name="Command">Its command name.</param>
/// <param name="Machine">Page size and paging mode.</param>
/// <param name="Vmas">One row per VMA, in address order.</param>
/// <param name="Total">The sums over all VMAs.</param>
/// <param name="Notes">What the figures mean where they could mislead.</param>
public sealed record ResidencyReport(int Pid, string Command, MachineInfo Machine, IReadOnlyList<VmaResidency> Vmas, ResidencyCounts Total,
    IReadOnlyList<string> Notes);

/// <summary>Counts, per VMA, the pages that are present, swapped (in the page table, or by a shared-memory object), and not populated.</summary>
public static class Residency
{
    /// <summary>Walks every populated page of <paramref name="target"/> once.</summary>
    public static ResidencyReport Measure(IMemoryTarget target) => Measure(target, 0, target.Vmas.Count);

    /// <summary>
    /// The one VMA that contains <paramref name="address"/>, its pages only read: the maps row of that
    /// VMA without a pass over the whole process (the explorer's pages view at 20,000 VMAs or 4 GiB).
    /// </summary>
    /// <exception cref="InvalidRequestException">No VMA contains the address.</exception>
    public static ResidencyReport MeasureAt(IMemoryTarget target, ulong address)
    {
        var vmas = target.Vmas;
        int index = VmaLookup.FirstEndingAfter(vmas, address);
        if (index == vmas.Count || vmas[index].Vma.Start > address)
            throw new InvalidRequestException($"0x{address:x} is outside every VMA of process {target.Pid}");
        return Measure(target, index, 1);
    }

    /// <summary>
    /// At most <paramref name="limit"/> VMAs from the first that ends above <paramref name="start"/>, only
    /// their pages read: one part of the maps document (the next part starts at the last row's end).
    /// </summary>
    public static ResidencyReport MeasureFrom(IMemoryTarget target, ulong start, int limit)
    {
        if (limit < 1) throw new InvalidRequestException("a limit is at least 1 VMA");
        int first = VmaLookup.FirstEndingAfter(target.Vmas, start);
        return Measure(target, first, Math.Min(limit, target.Vmas.Count - first));
    }

    /// <summary>
    /// As <see cref="Measure(IMemoryTarget)"/>, handing each row to <paramref name="counted"/> too as soon
    /// as its pages are counted (maps's text measures its columns then, while the next pages are read).
    /// </summary>
    public static ResidencyReport Measure(IMemoryTarget target, Action<VmaResidency> counted) => Measure(target, 0, target.Vmas.Count, counted);

    /// <summary>The rows of the <paramref name="count"/> VMAs from index <paramref name="first"/>: only the pages of their span are read.</summary>
    private static ResidencyReport Measure(IMemoryTarget target, int first, int count, Action<VmaResidency>? counted = null)
    {
        // The rows are VMAs [first, first + count) of the target's list, read where they are (not copied).
        var rows = new VmaResidency[count];
        // Written once now, before any page is read: a garbage collection while pages are read scans
        // this array (its rows hold references), and memory read before it is written is mapped to the
        // kernel's zero page; each row written later then copies a page (a write-protect fault), which,
        // with the reading thread running, costs a TLB shootdown on its CPU: 350 for 20,000 VMAs, a
        // twentieth of maps' time. Written first, the pages are the array's own from the start.
        rows.AsSpan().Clear();
        int next = 0;
        var (total, notes) = Each(target, first, count, row =>
        {
            rows[next++] = row;
            counted?.Invoke(row);
        });
        return new ResidencyReport(target.Pid, target.Facts.Name, target.Machine, rows, total, notes);
    }

    /// <summary>
    /// Counts the pages of every VMA of <paramref name="target"/> as <see cref="Measure(IMemoryTarget)"/> does, handing
    /// each VMA's row to <paramref name="row"/> as soon as its pages are counted, in address order, and
    /// keeping none: a document of the rows can be written while the later VMAs are still read.
    /// </summary>
    /// <returns>The sums over all VMAs and the notes, as the report's <see cref="ResidencyReport.Total"/> and <see cref="ResidencyReport.Notes"/>.</returns>
    public static (ResidencyCounts Total, IReadOnlyList<string> Notes) Each(IMemoryTarget target, Action<VmaResidency> row) =>
        Each(target, 0, target.Vmas.Count, row);

    private static (ResidencyCounts Total, IReadOnlyList<string> Notes) Each(IMemoryTarget target, int first, int count, Action<VmaResidency> row)
    {
        ulong pageSize = (ulong)target.Machine.PageSize;
        // Frame flags only tell the zero page apart; without them (no CAP_SYS_ADMIN) it counts as present, and a note says so.
        bool flags = target.Visibility.FrameFlagsVisible;
        // Batches come in address order, VMA by VMA: a cursor over the VMA list finds each batch's
        // row (a dictionary keyed by VMA cost a hash look-up per batch and its own copy of every count),
        // and every row before it is complete.
        var vmas = target.Vmas;
        int done = 0;
        var counts = default(ResidencyCounts);
        var total = default(ResidencyCounts);
        SharedMemorySwap? sharedSwap = null;
        // Rows [done, upTo) are complete: each gets its size and the shared object's swap, and is handed on.
        void Complete(int upTo)
        {
            for (; done < upTo; done++)
            {
                var v = vmas[first + done];
                var c = counts with { Pages = v.Vma.Size / pageSize };
                counts = default;
                // Only pages without a page-table entry can be in the object's swap. (smaps can count more in a
                // read-only private mapping of a tmpfs file: the object's whole range, copies mapped over it included.)
                sharedSwap ??= target.SharedMemorySwap;
                ulong held = sharedSwap.HeldByObject(v.Vma, c.Swapped, target.Machine.PageSize);
                var r = new VmaResidency(v, c with { SharedSwapped = Math.Min(held, c.NotPopulated) });
                total += r.Counts;
                row(r);
            }
        }
        ulong from = count == 0 ? 0 : vmas[first].Vma.Start, to = count == 0 ? 0 : vmas[first + count - 1].Vma.End;
        foreach (var batch in target.ReadPages(from, to, new PageReadOptions(PopulatedOnly: true, WithFrames: flags, WithMapCounts: false, ZeroPageOnly: true)))
        {
            ulong present = 0, zero = 0, swapped = 0, guard = 0, markers = 0, huge = 0;
            foreach (ref readonly var page in batch.Pages.Span)
            {
                switch (page.State)
                {
                    case PageState.Present when (page.Flags & FrameFlags.ZeroPage) != 0: zero++; break;
                    case PageState.Present:
                        present++;
                        if (page.IsHugeLeaf) huge++;
                        break;
                    case PageState.Swapped: swapped++; break;
                    case PageState.Guard: guard++; break;
                    case PageState.Marker: markers++; break;
                }
            }
            int at = done;
            while (!ReferenceEquals(vmas[first + at], batch.Vma)) at++;
            Complete(at);
            counts += new ResidencyCounts(0, present, zero, swapped, 0, guard, markers, huge);
        }
        Complete(count);
        var notes = new List<string>();
        if (!flags) notes.Add($"{target.Visibility.Reason}: pages mapping the shared zero page cannot be told apart and count as present");
        if (total.SharedSwapped > 0) notes.Add(SharedMemorySwap.Note);
        return (total, notes);
    }
}
