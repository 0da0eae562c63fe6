namespace PageAtlas.Model;

/// <summary>
/// What the census and the physical map counted of every frame, kept where the frames themselves are
/// not (a snapshot taken with --frames): an <see cref="IFrameSource"/> that does not read frames
/// answers with these.
/// </summary>
/// <param name="CensusStart">First frame the census counted.</param>
/// <param name="CensusEnd">One past the last.</param>
/// <param name="Census">Every flag set with its frames, unfiltered.</param>
/// <param name="FramesPerCell">Frames per cell of the physical map.</param>
/// <param name="Cells">The physical map's cells, from frame 0 to the frame limit.</param>
/// <param name="Ranges">/proc/iomem's top level with the frames of each RAM range by kind.</param>
/// <param name="Uninitialised">Where memory not yet initialised lay.</param>
public sealed record FrameTallies(ulong CensusStart, ulong CensusEnd, IReadOnlyList<FlagCombination> Census, ulong FramesPerCell,
    IReadOnlyList<KindCounts> Cells, IReadOnlyList<RangeContents> Ranges, IReadOnlyList<FrameRange> Uninitialised);
