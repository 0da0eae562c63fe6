namespace PageAtlas.Model;

/// <summary>
/// Everything known about one virtual page: its pagemap entry joined with its frame's kernel flags
/// and map count. Millions of these flow through a walk, so it is a small value type.
/// </summary>
/// <param name="Address">The page's virtual address (page aligned).</param>
/// <param name="Entry">Its /proc/&lt;pid&gt;/pagemap entry.</param>
/// <param name="Flags">/proc/kpageflags of its frame; <see cref="FrameFlags.None"/> when not present or not readable.</param>
/// <param name="MapCount">/proc/kpagecount of its frame: how many page tables map it; 0 when not known.</param>
/// <param name="IsHugeLeaf">The page is mapped by a 2 MiB or 1 GiB leaf entry rather than a 4 KiB PTE (known from PAGEMAP_SCAN).</param>
public readonly record struct PageRecord(ulong Address, PagemapEntry Entry, FrameFlags Flags, ulong MapCount, bool IsHugeLeaf)
{
    /// <summary>
    /// For a page with no page-table entry: what the shared-memory object behind its VMA holds at its
    /// offset, when the object was asked (<see cref="Analysis.SharedMemoryPages"/>); else None.
    /// </summary>
    public ObjectPageState InObject { get; init; }

    /// <summary>Present, swapped, a guard region, another kernel marker; else held by the shared-memory object (in swap, or resident but not mapped here), or not populated.</summary>
    public PageState State => Entry switch
    {
        { IsPresent: true } => PageState.Present,
        { IsSwapped: true } => PageState.Swapped,
        { IsGuardRegion: true } => PageState.Guard,
        { IsMarker: true } => PageState.Marker,
        _ => InObject switch
        {
            ObjectPageState.Swapped => PageState.SharedSwapped,
            ObjectPageState.Resident => PageState.SharedResident,
            _ => PageState.NotPopulated,
        },
    };

    /// <summary>The frame's physical address (PFN × page size), or 0 when unknown.</summary>
    public ulong PhysicalAddress(int pageSize) => Entry.Pfn * (ulong)pageSize;
}
