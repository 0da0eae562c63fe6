using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>
/// The census reads kpagecount only for frames kpageflags marks mapped (KPF_MMAP), which halves the
/// kernel's work for `frames`. That rests on the kernel reporting a map count only for mapped frames:
/// checked here over the whole machine; and the census over runs of a process's own frames, which
/// nothing else changes, counts each mapped once, as it is.
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

    [Fact]
    public void EveryFrameWithAMapCountIsMarkedMapped()
    {
        using var frames = new LiveFrameSource();
        ulong limit = frames.FrameLimit;
        long withCount = 0, unmarked = 0;
        for (ulong pfn = 0; pfn < limit; pfn += Chunk)
        {
            int n = (int)Math.Min(Chunk, limit - pfn);
            // Counts first, flags after: a frame unmapped in between is the only way to miss the mark.
            var counts = ReadWords("/proc/kpagecount", pfn, n);
            var flags = ReadWords("/proc/kpageflags", pfn, n);
            for (int i = 0; i < Math.Min(counts.Length, flags.Length); i++)
            {
                if (counts[i] == 0) continue;
                withCount++;
                if ((flags[i] & (ulong)FrameFlags.Mmap) == 0 && StillUnmarked(pfn + (ulong)i)) unmarked++;
            }
        }
        Assert.True(withCount > 0);
        // Other processes (other tests' specimens) map and unmap all the time: a frame is counted only
        // when a second look still finds a map count without the mark; allow one in ten thousand.
        Assert.True(unmarked * 10_000 <= withCount, $"{unmarked} of {withCount} frames with a map count are not marked mapped");
    }

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
            var report = FrameCensus.Take(frames, FrameFilter.All, first, end);
            ulong mapped = report.Combinations.Aggregate(0UL, (a, c) => a + c.MappedFrames);
            ulong sum = report.Combinations.Aggregate(0UL, (a, c) => a + c.MapCountSum);
            Assert.True(mapped == end - first && sum == end - first, $"frames 0x{first:x}-0x{end:x}: census {mapped} mapped, map counts {sum}; kpagecount {string.Join(',', ReadWords("/proc/kpagecount", first, (int)(end - first)))}");
        }
    }
}
