using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;

namespace PageAtlas.Server.Metrics;

/// <summary>
/// The machine-wide metrics: the frame census by kind, as `pageatlas frames` counts it (each row
/// with the /proc/meminfo fields it compares with as a label), and the buddy allocator's free pages
/// per node, zone and order (the order shows fragmentation: free memory in small blocks only cannot
/// back a huge page).
/// </summary>
internal static class MachineFamilies
{
    /// <summary>The families of one census.</summary>
    public static IEnumerable<MetricFamily> Build(FrameCensusReport census)
    {
        yield return new MetricFamily("pageatlas_page_size_bytes", MetricType.Gauge, "Bytes per base page (frame)", "bytes",
            [new MetricSample([], census.PageSize)]);
        yield return new MetricFamily("pageatlas_frames", MetricType.Gauge,
            "Page frames of a kind, from /proc/kpageflags and /proc/kpagecount (kinds overlap; kind=\"frames_pfn_range\" is every frame counted); meminfo names the /proc/meminfo fields that count the same",
            null, census.Rows.Select(row => new MetricSample([new("kind", CensusKind(row)), new("meminfo", row.MeminfoFields ?? "")], row.Frames)).ToArray());
        yield return new MetricFamily("pageatlas_buddy_free_pages", MetricType.Gauge,
            "Free pages in blocks of 2^order pages, per NUMA node and zone (/proc/buddyinfo: blocks × 2^order)", null,
            census.FreeZones.SelectMany(zone => zone.FreeBlocks.Select((blocks, order) => new MetricSample(
            [
                new("node", zone.Node.ToString(CultureInfo.InvariantCulture)),
                new("zone", zone.Zone),
                new("order", order.ToString(CultureInfo.InvariantCulture)),
            ], blocks << order))).ToArray());
    }

    /// <summary>
    /// The census row's kind label: the row's stable id, the one `frames --json` writes as its kind
    /// ("anonymous-mapped"), with '-' written '_' ("anonymous_mapped") as Prometheus label values
    /// conventionally are, so PromQL matches them without quoting a regex.
    /// </summary>
    public static string CensusKind(CensusRow row) => row.Id.Replace('-', '_');
}
