using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>
/// The census reads kpagecount only for frames kpageflags marks mapped (KPF_MMAP), which halves the
/// kernel's work for `frames`, and by default only for the pages of mapped large folios (compound),
/// counting a small page mapped when it is marked mmap. That rests on the kernel reporting a map count
/// only for mapped frames, and a count for every mapped small page: both checked here over the whole
/// machine; and the census over runs of a process's own frames, which nothing else changes, counts
/// each mapped once, as it is, whichever counts it reads.
/// </summary>
public sealed class FrameCountTests
{
    private const int Chunk = 1 << 16;

    /// <summary>Words of a /proc file read with plain file I/O, not PageAtlas' reader.</summary>
    private static ulong[] ReadWords(string path, ulong firstPfn, int count)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        file.Position = (long)firstPfn * 8;
        var bytes = new byte[count * 8];
        int done = 0;
        while (done < bytes.Length)
        {
            int n = file.Read(bytes, done, bytes.Length - done);
            if (n == 0) break;
            done += n;
        }
        return Enumerable.Range(0, done / 8).Select(i => BitConverter.ToUInt64(bytes, i * 8)).ToArray();
    }

    private const ulong SmallMappedBits = (ulong)(FrameFlags.Mmap | FrameFlags.CompoundHead | FrameFlags.CompoundTail);

    /// <summary>
    /// Every frame of the machine whose words <paramref name="select"/> picks, and of those how many
    /// <paramref name="stillWrong"/> (a second look at the frame) finds breaking the rule. Both files are read
    /// chunk by chunk, <paramref name="countsFirst"/> deciding the order: the first file read is the one whose
    /// change in between could not break the rule.
    /// </summary>
    private static (long Selected, long Wrong) EveryFrame(bool countsFirst, Func<ulong, ulong, bool> select, Func<ulong, ulong, bool> wrong, Func<ulong, bool> stillWrong)
    {
        using var frames = new LiveFrameSource();
        ulong limit = frames.FrameLimit;
        long selected = 0, broken = 0;
        for (ulong pfn = 0; pfn < limit; pfn += Chunk)
        {
            int n = (int)Math.Min(Chunk, limit - pfn);
            var counts = countsFirst ? ReadWords("/proc/kpagecount", pfn, n) : null;
            var flags = ReadWords("/proc/kpageflags", pfn, n);
            counts ??= ReadWords("/proc/kpagecount", pfn, n);
            for (int i = 0; i < Math.Min(counts.Length, flags.Length); i++)
            {
                if (!select(flags[i], counts[i])) continue;
                selected++;
                if (wrong(flags[i], counts[i]) && stillWrong(pfn + (ulong)i)) broken++;
            }
        }
        return (selected, broken);
    }

    [Fact]
    public void EveryFrameWithAMapCountIsMarkedMapped()
    {
        // Counts first, flags after: a frame unmapped in between is the only way to miss the mark.
        var (withCount, unmarked) = EveryFrame(countsFirst: true, (_, count) => count != 0, (flags, _) => (flags & (ulong)FrameFlags.Mmap) == 0, StillUnmarked);
        Assert.True(withCount > 0);
        // Other processes (other tests' specimens) map and unmap all the time: a frame is counted only
        // when a second look still finds a map count without the mark; allow one in ten thousand.
        Assert.True(unmarked * 10_000 <= withCount, $"{unmarked} of {withCount} frames with a map count are not marked mapped");
    }

    [Fact]
    public void EverySmallPageMarkedMappedHasAMapCount()
    {
        // Flags first, counts after: a frame unmapped in between is the only way to miss the count.
        var (marked, uncounted) = EveryFrame(countsFirst: false, (flags, _) => (flags & SmallMappedBits) == (ulong)FrameFlags.Mmap, (_, count) => count == 0, StillUncounted);
        Assert.True(marked > 0);
        // As above: only a frame a second look still finds marked mapped, small and without a count is counted.
        Assert.True(uncounted * 10_000 <= marked, $"{uncounted} of {marked} small pages marked mapped have no map count");
    }

    private static bool StillUncounted(ulong pfn) =>
        ReadWords("/proc/kpageflags", pfn, 1) is [var flags] && (flags & SmallMappedBits) == (ulong)FrameFlags.Mmap && ReadWords("/proc/kpagecount", pfn, 1) is [0];

    private static bool StillUnmarked(ulong pfn) =>
        ReadWords("/proc/kpagecount", pfn, 1) is [> 0] && ReadWords("/proc/kpageflags", pfn, 1) is [var flags] && (flags & (ulong)FrameFlags.Mmap) == 0;

    [Fact]
    public void TheCensusCountsEachOfAProcesssPrivateFramesMappedOnce()
    {
        using var specimen = Specimen.Start("--touch-mib", "64");
        using var target = LiveProcess.Open(specimen.Pid);
        var pfns = AddressTranslation.Translate(target, new AddressRange(specimen["touched"], specimen["touched"] + 64 * 1024 * 1024))
            .Where(r => r.Page.Entry.IsPresent).Select(r => r.Page.Entry.Pfn).Order().ToArray();
        Assert.Equal(16_384, pfns.Length);
        // Runs of consecutive frames that are all the specimen's: nothing else changes them, and each is
        // one private anonymous page mapped once (kpagecount 1), so the census must count exactly.
        var runs = new List<(ulong First, ulong End)>();
        for (int i = 0; i < pfns.Length && runs.Count < 32;)
        {
            int j = i + 1;
            while (j < pfns.Length && pfns[j] == pfns[j - 1] + 1) j++;
            runs.Add((pfns[i], pfns[j - 1] + 1));
            i = j;
        }
        using var frames = new LiveFrameSource();
        foreach (var (first, end) in runs)
        {
            var report = FrameCensus.Take(frames, FrameFilter.All, first, end, sumMapCounts: true);
            ulong mapped = report.Combinations.Aggregate(0UL, (a, c) => a + c.MappedFrames);
            ulong sum = report.Combinations.Aggregate(0UL, (a, c) => a + c.MapCountSum!.Value);
            Assert.True(mapped == end - first && sum == end - first, $"frames 0x{first:x}-0x{end:x}: census {mapped} mapped, map counts {sum}; kpagecount {string.Join(',', ReadWords("/proc/kpagecount", first, (int)(end - first)))}");
            // Without the sum the counts of small pages are not read: they are counted mapped from their flags, as many.
            var fromFlags = FrameCensus.Take(frames, FrameFilter.All, first, end, sumMapCounts: false);
            Assert.Equal(end - first, fromFlags.Combinations.Aggregate(0UL, (a, c) => a + c.MappedFrames));
            Assert.All(fromFlags.Combinations, c => Assert.Null(c.MapCountSum));
            Assert.Equal(end - first, fromFlags.Rows.Single(r => r.Id == "mapped").Frames);
            Assert.DoesNotContain(fromFlags.Rows, r => r.Id == "map-count-sum");
        }
    }
}
