using PageAtlas.Model;

namespace PageAtlas.Cli;

/// <summary>One page as a line of text, in seed 001's "VA … -> PFN … (PA …)" form plus the pagemap and frame facts.</summary>
internal static class PageText
{
    /// <param name="physicalAddress">The byte's physical address (frame base plus offset); read only for a present page with visible PFNs.</param>
    public static string Line(ulong address, PageRecord page, ulong physicalAddress, FrameVisibility visibility)
    {
        var e = page.Entry;
        string frame = page.State switch
        {
            PageState.Present when visibility.PfnsVisible => $"PFN 0x{e.Pfn:x} (PA 0x{physicalAddress:x})",
            PageState.Present => "PFN hidden (PA hidden)",
            PageState.Swapped => $"swap type {e.SwapType} offset 0x{e.SwapOffset:x}",
            PageState.Guard => "PFN 0x0 (guard region: no memory)",
            PageState.Marker => "PFN 0x0 (kernel marker, not swap)",
            PageState.SharedSwapped => "swapped, held by the shared-memory object (not in the page table)",
            PageState.SharedResident => "resident in the shared-memory object, not mapped by this process",
            _ => "PFN 0x0 (not populated)",
        };
        var bits = new List<string>(6);
        if (e.IsExclusive) bits.Add("exclusive");
        if (e.IsSoftDirty) bits.Add("soft-dirty");
        if (e.IsUffdWriteProtected) bits.Add("uffd-wp");
        // pagemap sets its file bit on the huge zero page too (its PMD maps no struct page the kernel calls anonymous): it is no file.
        bool zeroPage = (page.Flags & FrameFlags.ZeroPage) != 0;
        if (zeroPage) bits.Add("zero-page");
        else if (e.IsFileOrSharedAnon) bits.Add("file/shared");
        if (page.IsHugeLeaf) bits.Add("huge-leaf");
        string frameFacts = page.State == PageState.Present && visibility.FrameFlagsVisible
            ? $" map={page.MapCount} flags={FrameFlagNames.ToLongNames(page.Flags)}"
            : "";
        return $"VA 0x{address:x12} -> {frame,-34} {StateName(page.State),-13} [{string.Join(',', bits)}]{frameFacts}";
    }

    private static string StateName(PageState state) => Rendering.JsonRecords.StateName(state);
}
