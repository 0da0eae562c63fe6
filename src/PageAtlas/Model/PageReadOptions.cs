namespace PageAtlas.Model;

/// <summary>What a page read returns.</summary>
/// <param name="PopulatedOnly">Leave out pages that are neither present nor swapped (lets the reader skip untouched ranges).</param>
/// <param name="WithFrames">Join each present page with its frame's flags and map count.</param>
public readonly record struct PageReadOptions(bool PopulatedOnly, bool WithFrames)
{
    /// <summary>Every populated page with its frame: what most analyses need.</summary>
    public static readonly PageReadOptions PopulatedWithFrames = new(true, true);
}
