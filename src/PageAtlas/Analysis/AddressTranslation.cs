using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// One row of a translation: a page inside a VMA, or a run of pages outside every VMA.
/// </summary>
/// <param name="Address">The requested address in this page (the range start on the first page, else the page base).</param>
/// <param name="State">Present, swapped, guard, marker, held by a shared-memory object (in swap, or resident but not mapped here), not populated, or unmapped.</param>
/// <param name="Page">The page's record (entry, frame flags, map count); default for unmapped rows.</param>
/// <param name="Vma">The VMA the page is in; null when unmapped.</param>
/// <param name="Pages">1, or for an unmapped row the number of consecutive unmapped pages it stands for.</param>
/// <param name="PageSize">The base page size.</param>
public readonly record struct PageTranslation(ulong Address, PageState State, PageRecord Page, ClassifiedVma? Vma, ulong Pages, int PageSize)
{
    /// <summary>Physical address of <see cref="Address"/>: frame base plus the in-page offset; null when not present or PFNs are hidden.</summary>
    public ulong? PhysicalAddress => State == PageState.Present && Page.Entry.Pfn != 0
        ? Page.Entry.Pfn * (ulong)PageSize + (Address & (ulong)(PageSize - 1))
        : null;
}

/// <summary>VA → PA for an address or a range, page by page (seeds 003 and 004).</summary>
public static class AddressTranslation
{
    /// <summary>
    /// Translates every page that [<paramref name="range"/>.Start, End) touches, streaming.
    /// </summary>
    /// <exception cref="InvalidRequestException">The range reaches above the user address space and into no VMA there.</exception>
    public static IEnumerable<PageTranslation> Translate(IMemoryTarget target, AddressRange range)
    {
        ValidateUserRange(target, range);
        return TranslateValidated(target, range);
    }

    /// <summary>Throws when an address is neither a user address nor inside a VMA (the vsyscall page is listed above user space).</summary>
    public static void ValidateUserRange(IMemoryTarget target, AddressRange range)
    {
        var mode = target.Machine.Paging;
        ulong last = range.End - 1;
        bool InVma(ulong a) => target.Vmas.Any(v => v.Vma.Contains(a));
        if (!mode.IsUserAddress(range.Start) && !InVma(range.Start))
            throw new InvalidRequestException($"0x{range.Start:x} is above the user address space (which ends at 0x{mode.UserAddressEnd:x} with {mode})");
        if (!mode.IsUserAddress(last) && !InVma(last))
            throw new InvalidRequestException($"0x{last:x} is above the user address space (which ends at 0x{mode.UserAddressEnd:x} with {mode})");
    }

    private static IEnumerable<PageTranslation> TranslateValidated(IMemoryTarget target, AddressRange range)
    {
        int pageSize = target.Machine.PageSize;
        var (first, end) = range.ToWholePages(pageSize);
        ulong cursor = first;
        ulong Requested(ulong pageBase) => pageBase == first ? range.Start : pageBase;

        foreach (var batch in SharedMemoryPages.Read(target, first, end, new PageReadOptions(PopulatedOnly: false, WithFrames: true)))
        {
            foreach (var page in batch.Pages.ToArray())
            {
                if (page.Address > cursor)
                    yield return Unmapped(Requested(cursor), (page.Address - cursor) / (ulong)pageSize, pageSize);
                yield return new PageTranslation(Requested(page.Address), page.State, page, batch.Vma, 1, pageSize);
                cursor = page.Address + (ulong)pageSize;
            }
        }
        if (cursor < end) yield return Unmapped(Requested(cursor), (end - cursor) / (ulong)pageSize, pageSize);
    }

    private static PageTranslation Unmapped(ulong address, ulong pages, int pageSize) =>
        new(address, PageState.Unmapped, default, null, pages, pageSize);
}
