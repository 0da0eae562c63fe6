using System.Globalization;
using System.Text;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Analysis;

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

    /// <summary>
    /// The window of each zone where its uninitialised run can lie: its top present − managed frames
    /// (below the frame limit), in frame order.
    /// </summary>
    private static FrameRange[] Windows(IReadOnlyList<MemoryZone> zones, ulong limit) =>
        zones.Where(z => z.Present > z.Managed && z.StartPfn < limit).OrderBy(z => z.StartPfn).Select(zone =>
        {
            ulong end = Math.Min(zone.EndPfn, limit);
            return new FrameRange(end - Math.Min(end - zone.StartPfn, zone.Present - zone.Managed), end);
        }).ToArray();

    /// <summary>
    /// The run at the top of <paramref name="window"/> above its highest used frame (<paramref name="highestUsed"/>,
    /// or none), starting on a block boundary; null when empty.
    /// </summary>
    private static FrameRange? RunAbove(FrameRange window, ulong? highestUsed)
    {
        ulong start = highestUsed is { } used ? used + 1 : window.StartPfn;
        start = (start + BlockFrames - 1) / BlockFrames * BlockFrames;
        return start < window.EndPfn ? new FrameRange(start, window.EndPfn) : null;
    }

    /// <summary>
    /// The uninitialised run of each zone that has one, in frame order, read from the top of each zone
    /// down (from a source that reads frames). Only flags are read: a frame with a map count has
    /// KPF_MMAP set (fs/proc/page.c sets it whenever the folio is mapped), so a flagless frame is unused.
    /// </summary>
    public static IReadOnlyList<FrameRange> Locate(IFrameSource frames, IReadOnlyList<MemoryZone> zones)
    {
        var runs = new List<FrameRange>();
        var flags = new ulong[ReadFrames];
        foreach (var window in Windows(zones, frames.FrameLimit))
        {
            ulong? highestUsed = null;
            for (ulong end = window.EndPfn; end > window.StartPfn && highestUsed is null;)
            {
                int n = (int)Math.Min((ulong)ReadFrames, end - window.StartPfn);
                end -= (ulong)n;
                frames.Read(end, flags.AsSpan(0, n), []);
                int used = flags.AsSpan(0, n).LastIndexOfAnyExcept(0UL);
                if (used >= 0) highestUsed = end + (ulong)used;
            }
            if (RunAbove(window, highestUsed) is { } run) runs.Add(run);
        }
        return runs;
    }

    /// <summary>
    /// Finds the same runs as <see cref="Locate"/> from the flags a scan of every frame reads anyway
    /// (<see cref="See"/> each chunk, from any thread), instead of reading the tops of the zones again:
    /// with deferred initialisation most of a machine's memory can lie there.
    /// </summary>
    public sealed class Finder
    {
        private readonly FrameRange[] _windows;
        private readonly long[] _highestUsed;

        /// <summary>A finder for <paramref name="zones"/>' windows below <paramref name="limit"/>.</summary>
        public Finder(IReadOnlyList<MemoryZone> zones, ulong limit)
        {
            _windows = Windows(zones, limit);
            _highestUsed = Enumerable.Repeat(-1L, _windows.Length).ToArray();
        }

        /// <summary>Notes the used frames of one chunk of flags that fall in a window.</summary>
        public void See(ulong firstPfn, ReadOnlySpan<ulong> flags)
        {
            ulong endPfn = firstPfn + (ulong)flags.Length;
            for (int w = 0; w < _windows.Length; w++)
            {
                ulong start = Math.Max(_windows[w].StartPfn, firstPfn), end = Math.Min(_windows[w].EndPfn, endPfn);
                if (start >= end) continue;
                int used = flags[(int)(start - firstPfn)..(int)(end - firstPfn)].LastIndexOfAnyExcept(0UL);
                if (used < 0) continue;
                long pfn = (long)start + used, seen;
                while (pfn > (seen = Volatile.Read(ref _highestUsed[w])) && Interlocked.CompareExchange(ref _highestUsed[w], pfn, seen) != seen) { }
            }
        }

        /// <summary>The runs, once every frame of every window has been seen.</summary>
        public IReadOnlyList<FrameRange> Runs() =>
            _windows.Select((window, w) => RunAbove(window, _highestUsed[w] < 0 ? null : (ulong)_highestUsed[w]))
                .Where(run => run is not null).Select(run => run!.Value).ToArray();
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
