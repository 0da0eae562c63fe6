namespace PageAtlas.Model;

/// <summary>Frames that share one exact set of flags (a row of page-types' summary).</summary>
/// <param name="Flags">The flags.</param>
/// <param name="Frames">Frames with exactly these flags.</param>
/// <param name="MappedFrames">Of those, frames some page table maps (kpagecount &gt; 0).</param>
/// <param name="MapCountSum">Their map counts added up; null when they were not all read (<see cref="Analysis.FrameCensus.Take"/>).</param>
public sealed record FlagCombination(FrameFlags Flags, ulong Frames, ulong MappedFrames, ulong? MapCountSum);
