using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>Free blocks of one zone, per order: order n holds 2^n pages.</summary>
/// <param name="Node">NUMA node.</param>
/// <param name="Zone">DMA, DMA32, Normal, Movable…</param>
/// <param name="FreeBlocks">Free blocks of order 0, 1, 2…</param>
public sealed record ZoneFreeBlocks(int Node, string Zone, IReadOnlyList<ulong> FreeBlocks)
{
    /// <summary>Free pages: Σ blocks × 2^order.</summary>
    public ulong FreePages => FreeBlocks.Select((count, order) => count << order).Aggregate(0UL, (a, b) => a + b);
}

/// <summary>
/// /proc/buddyinfo: the buddy allocator's free lists, one line per zone:
/// <code>Node 0, zone   Normal  11508   6184   3715 …</code>
/// kpageflags marks only the first page of a free block (KPF_BUDDY); this file gives the block sizes,
/// hence the true number of free pages (pages on per-CPU lists are free too but in neither).
/// </summary>
public static class ProcBuddyinfo
{
    /// <summary>Parses the whole file.</summary>
    /// <exception cref="KernelDataException">A line is not of that form.</exception>
    public static IReadOnlyList<ZoneFreeBlocks> Parse(string text, string source = "/proc/buddyinfo")
    {
        var zones = new List<ZoneFreeBlocks>();
        int lineNumber = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            lineNumber++;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5 || fields[0] != "Node" || fields[2] != "zone"
                || !int.TryParse(fields[1].TrimEnd(','), NumberStyles.None, CultureInfo.InvariantCulture, out int node))
                throw new KernelDataException($"{source} line {lineNumber}: expected 'Node N, zone NAME counts…'");
            var counts = new ulong[fields.Length - 4];
            for (int i = 4; i < fields.Length; i++)
            {
                if (!ulong.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i - 4]))
                    throw new KernelDataException($"{source} line {lineNumber}: '{fields[i]}' is not a block count");
            }
            zones.Add(new ZoneFreeBlocks(node, fields[3], counts));
        }
        return zones;
    }

    /// <summary>Free pages of every zone together.</summary>
    public static ulong FreePages(IEnumerable<ZoneFreeBlocks> zones) => zones.Aggregate(0UL, (sum, z) => sum + z.FreePages);

    /// <summary>Reads /proc/buddyinfo (empty when absent).</summary>
    public static IReadOnlyList<ZoneFreeBlocks> Read() => Parse(ReadText());

    /// <summary>/proc/buddyinfo as text (empty when absent), for parsing now or keeping in a snapshot.</summary>
    public static string ReadText() => ProcFs.TryReadText("/proc/buddyinfo") ?? "";
}
