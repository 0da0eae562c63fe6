namespace PageAtlas.Model;

/// <summary>What a page read returns.</summary>
/// <param name="PopulatedOnly">Leave out pages that are neither present nor swapped (lets the reader skip untouched ranges).</param>
/// <param name="WithFrames">Join each present page with its frame's flags and map count.</param>
/// <param name="WithMapCounts">With <paramref name="WithFrames"/>: read map counts too (/proc/kpagecount). A reader that
/// needs only the flags (maps tells the zero page apart by them) saves the kernel half the work per frame; map counts are then 0.</param>
public readonly record struct PageReadOptions(bool PopulatedOnly, bool WithFrames, bool WithMapCounts = true)
{
    /// <summary>Every populated page with its frame: what most analyses need.</summary>
    public static readonly PageReadOptions PopulatedWithFrames = new(true, true);
}
