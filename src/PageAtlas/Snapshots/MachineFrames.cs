using PageAtlas.Analysis;

namespace PageAtlas.Snapshots;

/// <summary>The whole machine's frames, as a snapshot taken with --frames keeps them.</summary>
/// <param name="Census">Every flag set with its frame counts (unfiltered).</param>
/// <param name="Map">The physical map.</param>
/// <param name="Meminfo">/proc/meminfo as read at the time.</param>
/// <param name="Buddyinfo">/proc/buddyinfo.</param>
/// <param name="Zoneinfo">/proc/zoneinfo.</param>
public sealed record MachineFrames(FrameCensusReport Census, PhysicalMapReport Map, string Meminfo, string Buddyinfo, string Zoneinfo);
