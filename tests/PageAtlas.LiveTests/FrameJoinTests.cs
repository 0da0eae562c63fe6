using PageAtlas.Labs;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>
/// The frame look-ups pagemap answers without the kernel's frame files: a small page pagemap calls
/// exclusively mapped gets map count 1 without a kpagecount read, and maps and pagetable, which want
/// flags only to find the zero page, skip exclusively mapped anonymous pages. Both are pinned to
/// /proc/kpagecount and /proc/kpageflags read here directly, page by page.
/// </summary>
public sealed class FrameJoinTests
{
    /// <summary>One word of a frame file, read with plain file I/O, not PageAtlas's reader.</summary>
    private static ulong KernelWord(string path, ulong pfn)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        file.Position = (long)pfn * 8;
        var bytes = new byte[8];
        file.ReadExactly(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private static List<PageRecord> PresentPages(IMemoryTarget target, ulong start, ulong end, PageReadOptions options) =>
        [.. target.ReadPages(start, end, options).SelectMany(b => b.Pages.ToArray()).Where(p => p.Entry.IsPresent)];

    /// <summary>
    /// Every present page's map count against kpagecount: a single process's private pages (count 1,
    /// given by pagemap), a forked pair's shared anonymous pages (count 2, read) and shared library
    /// pages (read). Other processes map and unmap library pages meanwhile: a page that disagrees is
    /// read again, by PageAtlas and from kpagecount, and counts only if it disagrees three times.
    /// </summary>
    [Fact]
    public void MapCountsTakenFromPagemapAreTheKernelsCounts()
    {
        using var single = Specimen.Start("--touch-mib", "4");
        using var pair = SpecimenProcess.Start("forkpair", "--touch-mib", "4");
        int fromPagemap = 0, shared = 0;
        var disagreements = new List<string>();
        foreach (int pid in new[] { single.Pid, pair.Pid })
        {
            using var target = LiveProcess.Open(pid);
            foreach (var page in PresentPages(target, 0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames))
            {
                if (FrameJoiner.KnownToBeMappedOnce(page)) fromPagemap++;
                if (!page.Entry.IsFileOrSharedAnon && page.MapCount == 2) shared++;
                if (!StillDisagrees(target, page)) continue;
                disagreements.Add($"pid {pid} 0x{page.Address:x}: map count {page.MapCount}, kpagecount {KernelWord(KernelPageFrames.CountPath, page.Entry.Pfn)}");
            }
        }
        Assert.Empty(disagreements);
        // Both kinds were met: 4 MiB touched by the single process, 4 MiB shared by the pair.
        Assert.True(fromPagemap >= 1024, $"{fromPagemap} pages had their map count from pagemap");
        Assert.True(shared >= 1024, $"{shared} anonymous pages were mapped twice");
    }

    private static bool StillDisagrees(IMemoryTarget target, PageRecord page)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (page.MapCount == KernelWord(KernelPageFrames.CountPath, page.Entry.Pfn)) return false;
            if (PresentPages(target, page.Address, page.Address + 4096, PageReadOptions.PopulatedWithFrames) is not [var again]) return false;
            page = again;
        }
        return true;
    }

    /// <summary>
    /// A read that wants flags only for the zero page (maps, pagetable) tells it apart on every page
    /// exactly as a read of every frame's flags does, while leaving the process's own anonymous pages
    /// unread. The area the specimen only reads maps the zero page where the kernel uses it (this
    /// machine's may not: ZeroPageTests), and its libraries' pages are read either way.
    /// </summary>
    [Fact]
    public void ZeroPageOnlyReadsFindTheZeroPagesAFullReadFinds()
    {
        using var specimen = Specimen.Start("--touch-mib", "4", "--zero-mib", "1");
        using var target = LiveProcess.Open(specimen.Pid);
        var full = PresentPages(target, 0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: true, WithMapCounts: false))
            .ToDictionary(p => p.Address);
        var zeroOnly = PresentPages(target, 0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: true, WithMapCounts: false, ZeroPageOnly: true));
        int skipped = 0, read = 0;
        foreach (var page in zeroOnly)
        {
            if (!full.TryGetValue(page.Address, out var other) || other.Entry.Pfn != page.Entry.Pfn) continue;
            Assert.Equal((other.Flags & FrameFlags.ZeroPage) != 0, (page.Flags & FrameFlags.ZeroPage) != 0);
            if (page.Flags == FrameFlags.None)
            {
                skipped++;
                Assert.True(FrameJoiner.CannotBeZeroPage(page));
                Assert.Equal(0UL, KernelWord(KernelPageFrames.FlagsPath, page.Entry.Pfn) & (ulong)FrameFlags.ZeroPage);
            }
            else read++;
        }
        Assert.True(skipped >= 1024, $"{skipped} pages were left unread");
        Assert.True(read > 0, "no page's flags were read");
    }
}
