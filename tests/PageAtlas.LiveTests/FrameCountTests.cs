using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>
/// The census reads kpagecount only for frames kpageflags marks mapped (KPF_MMAP), which halves the
/// kernel's work for `frames`. That rests on the kernel reporting a map count only for mapped frames:
/// checked here over the whole machine, and the census's mapped figures over a process's frames
/// checked against kpagecount read directly for every frame.
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
        using var frames = new KernelPageFrames();
        ulong limit = frames.FrameLimit();
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
    public void TheCensusCountsTheMapsOfAProcesssFramesAsKpagecountDoes()
    {
        using var specimen = Specimen.Start("--touch-mib", "64");
        using var target = LiveProcess.Open(specimen.Pid);
        var pfns = AddressTranslation.Translate(target, new AddressRange(specimen["touched"], specimen["touched"] + 64 * 1024 * 1024))
            .Where(r => r.Page.Entry.IsPresent).Select(r => r.Page.Entry.Pfn).ToArray();
        ulong first = pfns.Min(), end = pfns.Max() + 1;
        using var frames = new KernelPageFrames();
        // kpagecount read directly just before and just after the census bracket it: the specimen's own
        // 16,384 frames hold still, other frames in the range may change meanwhile (other tests run).
        var (mappedBefore, sumBefore) = Direct(first, end);
        var report = FrameCensus.Take(frames, FrameFilter.All, ProcZoneinfo.Read(), KernelCounters.ReadNow, 4096, first, end);
        var (mappedAfter, sumAfter) = Direct(first, end);
        ulong censusMapped = report.Combinations.Aggregate(0UL, (a, c) => a + c.MappedFrames);
        ulong censusSum = report.Combinations.Aggregate(0UL, (a, c) => a + c.MapCountSum);
        Assert.True(censusMapped >= (ulong)pfns.Length, $"census {censusMapped} mapped frames, the specimen alone maps {pfns.Length}");
        Assert.InRange((double)censusMapped, Math.Min(mappedBefore, mappedAfter) * 0.995, Math.Max(mappedBefore, mappedAfter) * 1.005);
        Assert.InRange((double)censusSum, Math.Min(sumBefore, sumAfter) * 0.995, Math.Max(sumBefore, sumAfter) * 1.005);
    }

    /// <summary>Frames with a map count, and the sum of the counts, in [first, end), read directly.</summary>
    private static (ulong Mapped, ulong Sum) Direct(ulong first, ulong end)
    {
        var counts = ReadWords("/proc/kpagecount", first, (int)(end - first));
        return ((ulong)counts.Count(c => c > 0), counts.Aggregate(0UL, (a, c) => a + c));
    }
}
