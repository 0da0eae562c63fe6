using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>A frame source's machine files, parsed (a file the source does not have parses as empty).</summary>
public static class MachineFiles
{
    /// <summary>/proc/meminfo.</summary>
    public static ProcMeminfo ReadMeminfo(this IFrameSource source) => ProcMeminfo.Parse(source.ReadMachineFile(MachineFile.Meminfo) ?? "");

    /// <summary>/proc/buddyinfo: free blocks per zone and order.</summary>
    public static IReadOnlyList<ZoneFreeBlocks> ReadBuddyinfo(this IFrameSource source) => ProcBuddyinfo.Parse(source.ReadMachineFile(MachineFile.Buddyinfo) ?? "");

    /// <summary>/proc/zoneinfo: the zones.</summary>
    public static IReadOnlyList<MemoryZone> ReadZones(this IFrameSource source) => ProcZoneinfo.Parse(source.ReadMachineFile(MachineFile.Zoneinfo) ?? "");

    /// <summary>/proc/iomem's top level.</summary>
    /// <exception cref="PrivilegeRequiredException">The addresses read as zero (not root).</exception>
    public static IReadOnlyList<PhysicalRange> ReadIomem(this IFrameSource source) => ProcIomem.WithAddresses(ProcIomem.Parse(source.ReadMachineFile(MachineFile.Iomem) ?? ""));
}
