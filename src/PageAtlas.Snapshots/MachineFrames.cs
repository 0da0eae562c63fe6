using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>The whole machine's frames, as a snapshot taken with --frames keeps them.</summary>
/// <param name="Census">Every flag set with its frame counts (unfiltered).</param>
/// <param name="Map">The physical map.</param>
/// <param name="Meminfo">/proc/meminfo as read at the time.</param>
/// <param name="Buddyinfo">/proc/buddyinfo.</param>
/// <param name="Zoneinfo">/proc/zoneinfo.</param>
public sealed record MachineFrames(FrameCensusReport Census, PhysicalMapReport Map, string Meminfo, string Buddyinfo, string Zoneinfo)
{
    /// <summary>
    /// Counts every frame of <paramref name="source"/> (the census, then the physical map), both
    /// compared with one reading of the machine files, which are kept with them.
    /// </summary>
    public static MachineFrames Take(IFrameSource source)
    {
        var once = new MachineFilesReadOnce(source);
        var census = FrameCensus.Take(once, FrameFilter.All, sumMapCounts: true);
        var map = PhysicalMap.Draw(once);
        return new MachineFrames(census, map, once.ReadMachineFile(MachineFile.Meminfo) ?? "", once.ReadMachineFile(MachineFile.Buddyinfo) ?? "",
            once.ReadMachineFile(MachineFile.Zoneinfo) ?? "");
    }
}
