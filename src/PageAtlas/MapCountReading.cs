namespace PageAtlas;

/// <summary>
/// Which frames' map counts (/proc/kpagecount) a frame scan reads (<see cref="IFrameSource.Scan{TState}"/>);
/// the others are given 0 unread. kpagecount costs the kernel as much per frame as kpageflags, so a
/// scan reads only the counts its answer needs.
/// </summary>
public enum MapCountReading
{
    /// <summary>None: flags only.</summary>
    None,

    /// <summary>
    /// The frames of mapped large folios only (KPF_MMAP with compound_head or compound_tail): the only
    /// frames whose flags do not say whether a page table maps the frame itself. For a frame of an
    /// order-0 folio, kpagecount is folio_precise_page_mapcount() and KPF_MMAP is folio_mapped(), both
    /// the page's own _mapcount + 1 (fs/proc/page.c, include/linux/mm.h), so KPF_MMAP is set exactly
    /// when its count is above 0; a large folio is marked mapped as a whole while each of its pages
    /// has its own count, 0 for a page no page table maps.
    /// </summary>
    LargeFolios,

    /// <summary>Every frame marked mapped (KPF_MMAP), so the map counts can be added up.</summary>
    Mapped,
}

/// <summary>Which frames a <see cref="MapCountReading"/> reads the count of.</summary>
public static class MapCountReadings
{
    private const ulong Compound = (ulong)(Model.FrameFlags.CompoundHead | Model.FrameFlags.CompoundTail);

    /// <summary>Whether a scan reading <paramref name="reading"/> reads the count of a frame with these kpageflags.</summary>
    public static bool Reads(this MapCountReading reading, ulong flags) => reading switch
    {
        MapCountReading.Mapped => (flags & (ulong)Model.FrameFlags.Mmap) != 0,
        MapCountReading.LargeFolios => (flags & (ulong)Model.FrameFlags.Mmap) != 0 && (flags & Compound) != 0,
        _ => false,
    };
}
