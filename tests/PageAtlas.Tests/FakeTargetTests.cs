using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Tests;

/// <summary>
/// The unit tests' target behaves as <see cref="IMemoryTarget"/> says a target does: it honours
/// <see cref="PageReadOptions"/> and reuses its buffer, so analyses tested on it are tested on the
/// contract the live and snapshot targets keep.
/// </summary>
public sealed class FakeTargetTests
{
    private const ulong Start = 0x7f0000000000;

    private static FakeTarget Target() => new FakeTarget(PagingMode.FourLevel)
        .Vma(Start, Start + 0x8000).Present(Start + 0x1000, 0x500, flags: FrameFlags.Anonymous | FrameFlags.Uptodate, mapCount: 2).Swapped(Start + 0x5000);

    private static List<PageRecord> Read(FakeTarget target, ulong start, ulong end, PageReadOptions options) =>
        target.ReadPages(start, end, options).SelectMany(b => b.Pages.ToArray()).ToList();

    [Fact]
    public void PopulatedOnlyLeavesOutTheEmptyPagesAndEveryPageFillsTheGapsInWholePages()
    {
        using var target = Target();
        Assert.Equal([Start + 0x1000, Start + 0x5000], Read(target, 0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames).Select(p => p.Address));
        // From the middle of a page: the page holding it is the first, as a live read gives it.
        var every = Read(target, Start + 0x800, Start + 0x6001, new PageReadOptions(PopulatedOnly: false, WithFrames: true));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => Start + (ulong)i * 0x1000), every.Select(p => p.Address));
        Assert.Equal([false, true, false, false, false, true, false], every.Select(p => p.Entry.IsPopulated));
    }

    [Fact]
    public void WithoutFramesThereAreNoFlagsOrMapCounts()
    {
        using var target = Target();
        var with = Read(target, 0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames)[0];
        Assert.Equal((FrameFlags.Anonymous | FrameFlags.Uptodate, 2UL), (with.Flags, with.MapCount));
        var without = Read(target, 0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: false))[0];
        Assert.Equal((FrameFlags.None, 0UL, with.Entry), (without.Flags, without.MapCount, without.Entry));
    }

    [Fact]
    public void ABatchKeptPastItsStepIsOverwritten()
    {
        using var target = Target().Vma(Start + 0x10000, Start + 0x12000).Present(Start + 0x10000, 0x900);
        var batches = target.ReadPages(0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames).ToList();
        Assert.Equal(2, batches.Count);
        // The first batch's memory now holds the second's page or nothing: it was not copied.
        Assert.NotEqual(Start + 0x1000, batches[0].Pages.Span[0].Address);
    }

    [Fact]
    public void ProcessFactsAreTheStatAndStatusFieldsTheyNameWithTheirSource()
    {
        const string Stat = "77 (a) b) R 12 77 77 0 -1 4194304 1 0 0 0 0 0 0 0 20 0 3 0 9 1052672 64 18446744073709551615 4096 8192 140700000000000 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 12288 20480 24576 0 0 0 0 0";
        const string Status = "Name:\ta) b\nVmRSS:\t   256 kB\nVmPTE:\t      8 kB\nThreads:\t3\n";
        var facts = ProcFacts.From(ProcStat.Parse(Stat), ProcStatus.Parse(Status));
        Assert.Equal(new ProcessFacts(77, "a) b", 12, 1052672, 256 * 1024, 8 * 1024, 4096, 140700000000000, 24576), facts with { Source = null });
        Assert.Equal("pid 77 (a) b)", facts.DisplayName);
        Assert.Equal(new ProcText(Stat, Status), facts.Source);
    }
}
