namespace PageAtlas.Model;

/// <summary>What a page read returns.</summary>
/// <param name="PopulatedOnly">Leave out pages that are neither present nor swapped (lets the reader skip untouched ranges).</param>
/// <param name="WithFrames">Join each present page with its frame's flags and map count.</param>
/// <param name="WithMapCounts">With <paramref name="WithFrames"/>: read map counts too (/proc/kpagecount). A reader that
/// needs only the flags saves the kernel half the work per frame; map counts are then 0.</param>
/// <param name="ZeroPageOnly">With <paramref name="WithFrames"/>: the flags are wanted only to tell the zero page apart (maps,
/// pagetable), so a live reader leaves pages pagemap shows cannot be it (exclusively mapped anonymous pages) with no flags
/// rather than asking the kernel for each.</param>
public readonly record struct PageReadOptions(bool PopulatedOnly, bool WithFrames, bool WithMapCounts = true, bool ZeroPageOnly = false)
{
    /// <summary>Every populated page with its frame: what most analyses need.</summary>
    public static readonly PageReadOptions PopulatedWithFrames = new(true, true);
}
