namespace PageAtlas.Model;

/// <summary>Frames of each kind in one cell of the map (or one range).</summary>
/// <param name="FirstPfn">The first frame.</param>
/// <param name="Frames">Frames covered.</param>
/// <param name="Counts">Frames per <see cref="FrameKind"/>, indexed by kind.</param>
public sealed record KindCounts(ulong FirstPfn, ulong Frames, ulong[] Counts)
{
    /// <summary>The kind with the most frames.</summary>
    public FrameKind Dominant => (FrameKind)Array.IndexOf(Counts, Counts.Max());

    /// <summary>Frames of <paramref name="kind"/>.</summary>
    public ulong this[FrameKind kind] => Counts[(int)kind];
}

/// <summary>A top-level /proc/iomem range with what its frames hold.</summary>
/// <param name="Range">The range.</param>
/// <param name="Kinds">Its frames by kind (empty counts for ranges that are not RAM).</param>
public sealed record RangeContents(PhysicalRange Range, KindCounts Kinds);
