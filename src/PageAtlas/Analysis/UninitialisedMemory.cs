using System.Globalization;
using System.Text;
using PageAtlas.Linux;

namespace PageAtlas.Analysis;

/// <summary>A run of page frames [StartPfn, EndPfn).</summary>
/// <param name="StartPfn">The first frame.</param>
/// <param name="EndPfn">One past the last.</param>
public readonly record struct FrameRange(ulong StartPfn, ulong EndPfn)
{
    /// <summary>Frames in the run.</summary>
    public ulong Frames => EndPfn - StartPfn;
}

/// <summary>
/// Memory the kernel has not initialised yet. With deferred struct-page initialisation
/// (CONFIG_DEFERRED_STRUCT_PAGE_INIT, and kernels booted with a lazy variant of it) each zone's
/// memory is handed to the buddy allocator from the bottom up, section by section, as it is needed:
/// the rest sits at the top of the zone, counted in the zone's present pages but not its managed
/// ones, with struct pages that say nothing (kpageflags 0, kpagecount 0). The kernel counts it in
/// MemFree, /proc/buddyinfo does not, and a reader of kpageflags would take it for unflagged kernel
/// memory. It is found here where it must be: the run of unused, flagless frames at the top of each
/// zone whose present pages exceed its managed ones, no longer than that difference.
/// </summary>
public static class UninitialisedMemory
{
    /// <summary>
    /// Frames per max-order block: deferred initialisation frees whole blocks (pageblocks within
    /// sections), so the boundary is aligned to one; unflagged frames below it are the tail of the
    /// last free block the kernel did initialise.
    /// </summary>
    public const ulong BlockFrames = 1024;

    private const int ReadFrames = 64 * 1024;

    /// <summary>The uninitialised run of each zone that has one, in frame order (read from a source that reads frames).</summary>
    public static IReadOnlyList<FrameRange> Locate(IFrameSource frames, IReadOnlyList<MemoryZone> zones)
    {
        ulong limit = frames.FrameLimit;
        var runs = new List<FrameRange>();
        var flags = new ulong[ReadFrames];
        var counts = new ulong[ReadFrames];
        foreach (var zone in zones.Where(z => z.Present > z.Managed).OrderBy(z => z.StartPfn))
        {
            ulong end = Math.Min(zone.EndPfn, limit), floor = end - Math.Min(end - zone.StartPfn, zone.Present - zone.Managed);
            ulong start = end;
            while (start > floor)
            {
                int n = (int)Math.Min((ulong)ReadFrames, start - floor);
                frames.Read(start - (ulong)n, flags.AsSpan(0, n), counts.AsSpan(0, n));
                int unused = 0;
                while (unused < n && flags[n - 1 - unused] == 0 && counts[n - 1 - unused] == 0) unused++;
                start -= (ulong)unused;
                if (unused < n) break;
            }
            start = (start + BlockFrames - 1) / BlockFrames * BlockFrames;
            if (start < end) runs.Add(new FrameRange(start, end));
        }
        return runs;
    }

    /// <summary>Frames of <paramref name="runs"/> within [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static ulong FramesWithin(IReadOnlyList<FrameRange> runs, ulong start, ulong end) =>
        runs.Aggregate(0UL, (sum, r) => sum + (Math.Min(r.EndPfn, end) > Math.Max(r.StartPfn, start) ? Math.Min(r.EndPfn, end) - Math.Max(r.StartPfn, start) : 0));

    /// <summary>The runs as text, one "START-END" line of hexadecimal frame numbers each (kept in snapshots).</summary>
    public static string Format(IReadOnlyList<FrameRange> runs)
    {
        var text = new StringBuilder();
        foreach (var r in runs) text.Append(CultureInfo.InvariantCulture, $"{r.StartPfn:x}-{r.EndPfn:x}\n");
        return text.ToString();
    }

    /// <summary>Reads <see cref="Format"/>'s text back.</summary>
    /// <exception cref="InvalidDataException">A line is not "START-END" with START &lt; END.</exception>
    public static IReadOnlyList<FrameRange> Parse(string text)
    {
        var runs = new List<FrameRange>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = line.IndexOf('-');
            if (dash <= 0
                || !ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(line.AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end)
                || start >= end || (runs.Count > 0 && start < runs[^1].EndPfn))
                throw new InvalidDataException($"uninitialised memory: '{line}' is not an ordered START-END range of frames");
            runs.Add(new FrameRange(start, end));
        }
        return runs;
    }
}
