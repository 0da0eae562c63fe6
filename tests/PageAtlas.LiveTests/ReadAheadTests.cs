using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>
/// A live read of many VMAs or pages goes through a second thread (<see cref="PageReadAhead"/>):
/// what it hands out must be what the reader gives on the caller's thread alone
/// (<see cref="LiveProcess.NoReadAheadVariable"/>): the same batches, VMA by VMA, with the same pages
/// and entries. A process with thousands of small VMAs, a THP area and a touched area of several
/// batches is read both ways, populated pages only and every page.
/// </summary>
public sealed class ReadAheadTests
{
    /// <summary>Frame flags another process cannot move between the two reads (the kernel ages pages: referenced, active, idle, LRU).</summary>
    private const FrameFlags Stable = FrameFlags.Anonymous | FrameFlags.ZeroPage | FrameFlags.CompoundHead | FrameFlags.CompoundTail | FrameFlags.Thp | FrameFlags.Mmap;

    private sealed record Page(ulong Vma, ulong Address, ulong Entry, FrameFlags Flags, bool IsHugeLeaf);

    private static List<Page> Read(int pid, bool readAhead, PageReadOptions options)
    {
        Environment.SetEnvironmentVariable(LiveProcess.NoReadAheadVariable, readAhead ? null : "1");
        try
        {
            using var target = LiveProcess.Open(pid);
            var pages = new List<Page>();
            foreach (var batch in target.ReadPages(0, ulong.MaxValue, options))
                foreach (var p in batch.Pages.Span)
                    pages.Add(new Page(batch.Vma.Vma.Start, p.Address, p.Entry.Raw, p.Flags & Stable, p.IsHugeLeaf));
            return pages;
        }
        finally
        {
            Environment.SetEnvironmentVariable(LiveProcess.NoReadAheadVariable, null);
        }
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadAheadGivesThePagesTheCallersThreadReads(bool populatedOnly)
    {
        using var specimen = Specimen.Start("--small-maps", "3000", "--thp", "--touch-mib", "200");
        var options = new PageReadOptions(PopulatedOnly: populatedOnly, WithFrames: true);
        // A page of the specimen can still move between the two reads (compaction migrates it, a
        // THP is split): read again, a few times, before calling a difference wrong.
        List<Page> inline = [], ahead = [];
        for (int attempt = 0; attempt < 3; attempt++)
        {
            inline = Read(specimen.Pid, readAhead: false, options);
            ahead = Read(specimen.Pid, readAhead: true, options);
            if (inline.SequenceEqual(ahead)) break;
        }
        Assert.True(inline.Count > 3000 + 200 * 256, $"{inline.Count} pages read");
        Assert.Equal(inline.Count, ahead.Count);
        int first = Enumerable.Range(0, inline.Count).FirstOrDefault(i => inline[i] != ahead[i], -1);
        Assert.True(first < 0, first < 0 ? "" : $"page {first}: read on the caller's thread {inline[first]}, read ahead {ahead[first]}");
    }
}
